"""Paper ballots and a show of hands at a meeting: the chair types them in, a second
official confirms, and only then do they count, marked as such in the result."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from townhall.ledger.verification import ledger_verify
from voting import services
from voting.models import Ballot, Channel, Elector, PaperEntry, Participation, Poll
from voting.paper import contents_from_counts, paper_entry_add, paper_entry_confirm

from .conftest import choose, option_id


def text(error) -> str:
    return " ".join(error.messages)


def convene(committee, chair, body):
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=body,
        title="2025年第二次会议",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动中心",
        chair=chair,
    )
    return meetings.meeting_open(meeting=meeting, by=chair)


def check_in(meeting, people, by):
    for person in people:
        meetings.attendance_check_in(meeting=meeting, person=person, by=by)


@pytest.fixture
def assembly(committee, chair, residents):
    meeting = convene(committee, chair, Body.ASSEMBLY)
    check_in(meeting, residents, chair)
    return meeting


@pytest.fixture
def hall_poll(assembly, open_poll):
    """A secret yes / no / abstain poll of the five residents checked in at the assembly."""
    return open_poll(
        electorate=Poll.Electorate.MEETING,
        meeting=assembly,
        body=Body.ASSEMBLY,
        base=Poll.Base.PRESENT,
    )


def electors_of(poll, people):
    return [Elector.objects.get(poll=poll, person=person) for person in people]


def yes_no_counts(poll, yes=0, no=0, abstain=0, invalid=0):
    counts = {option_id(poll, "yes"): yes, option_id(poll, "no"): no}
    counts[option_id(poll, "abstain")] = abstain
    return contents_from_counts(poll, counts, invalid)


def enter(poll, chair, people, **counts):
    return paper_entry_add(
        poll=poll,
        by=chair,
        kind=PaperEntry.Kind.PAPER,
        electors=electors_of(poll, people),
        ballots=yes_no_counts(poll, **counts),
    )


def test_paper_ballots_count_once_another_official_confirms(hall_poll, chair, staff, residents):
    entry = enter(hall_poll, chair, residents[:3], yes=2, no=1)
    assert Participation.objects.filter(poll=hall_poll).count() == 0  # not yet

    paper_entry_confirm(entry=entry, by=staff)

    entry.refresh_from_db()
    assert entry.confirmed_by == staff and entry.confirmed_at is not None
    rows = Participation.objects.filter(poll=hall_poll)
    assert {(row.elector.person_id, row.channel, row.paper_entry_id) for row in rows} == {
        (person.pk, Channel.PAPER, entry.pk) for person in residents[:3]
    }
    assert (
        sorted(Ballot.objects.filter(poll=hall_poll).values_list("channel", flat=True))
        == ["paper"] * 3
    )
    services.ballot_cast(poll=hall_poll, voter=residents[3], content=choose(hall_poll, "yes"))

    services.poll_close(poll=hall_poll, by=chair, reason="表决完毕")

    result = Poll.objects.get(pk=hall_poll.pk).result
    assert result["channels"]["paper"] == 3 and result["channels"]["online"] == 1
    assert (result["yes"], result["no"], result["cast"], result["present"]) == (3, 1, 4, 5)
    assert result["passed"] is True


def test_whoever_entered_the_ballots_cannot_confirm_them(hall_poll, chair, residents):
    entry = enter(hall_poll, chair, residents[:2], yes=2)

    with pytest.raises(ValidationError) as error:
        paper_entry_confirm(entry=entry, by=chair)

    assert "Another official must confirm" in text(error.value)
    assert not Participation.objects.filter(poll=hall_poll).exists()


def test_a_resident_can_neither_enter_nor_confirm(hall_poll, chair, residents):
    with pytest.raises(PermissionDenied):
        enter(hall_poll, residents[0], residents[:2], yes=2)
    entry = enter(hall_poll, chair, residents[:2], yes=2)
    with pytest.raises(PermissionDenied):
        paper_entry_confirm(entry=entry, by=residents[0])


def test_an_unconfirmed_entry_does_not_count(hall_poll, chair, residents):
    enter(hall_poll, chair, residents[:3], yes=3)
    services.ballot_cast(poll=hall_poll, voter=residents[3], content=choose(hall_poll, "no"))

    services.poll_close(poll=hall_poll, by=chair, reason="表决完毕")

    result = Poll.objects.get(pk=hall_poll.pk).result
    assert (result["yes"], result["no"], result["cast"]) == (0, 1, 1)
    assert result["channels"]["paper"] == 0


def test_confirming_is_refused_if_one_of_the_voters_voted_online_meanwhile(
    hall_poll, chair, staff, residents
):
    entry = enter(hall_poll, chair, residents[:3], yes=2, abstain=1)
    services.ballot_cast(poll=hall_poll, voter=residents[1], content=choose(hall_poll, "no"))

    with pytest.raises(ValidationError) as error:
        paper_entry_confirm(entry=entry, by=staff)

    assert "1 of these voters has already voted" in text(error.value)
    entry.refresh_from_db()
    assert entry.confirmed_by is None
    assert Participation.objects.filter(poll=hall_poll).count() == 1  # the online vote only
    assert Ballot.objects.filter(poll=hall_poll).count() == 1


def test_an_entry_cannot_be_confirmed_twice(hall_poll, chair, staff, make_person, committee):
    entry = enter(hall_poll, chair, [Elector.objects.filter(poll=hall_poll).first().person], no=1)
    paper_entry_confirm(entry=entry, by=staff)
    member = make_person(committee, Role.MEMBER, mfa=True)

    with pytest.raises(ValidationError) as error:
        paper_entry_confirm(entry=entry, by=member)

    assert "already been confirmed" in text(error.value)
    assert Ballot.objects.filter(poll=hall_poll).count() == 1


def test_voters_who_already_voted_cannot_be_entered(hall_poll, chair, residents):
    services.ballot_cast(poll=hall_poll, voter=residents[0], content=choose(hall_poll, "yes"))

    with pytest.raises(ValidationError) as error:
        enter(hall_poll, chair, residents[:2], yes=2)

    assert "1 of these voters has already voted" in text(error.value)
    assert not PaperEntry.objects.exists()


def test_one_ballot_per_voter_and_each_must_fit_the_poll(hall_poll, chair, residents):
    with pytest.raises(ValidationError) as error:
        enter(hall_poll, chair, residents[:3], yes=2)
    assert "2 ballots for 3 voters" in text(error.value)

    with pytest.raises(ValidationError) as error:
        paper_entry_add(
            poll=hall_poll,
            by=chair,
            kind=PaperEntry.Kind.PAPER,
            electors=electors_of(hall_poll, residents[:2]),
            ballots=[
                choose(hall_poll, "yes"),
                {"options": [choose(hall_poll, "yes")["options"][0], 999]},
            ],
        )
    assert "Ballot 2:" in text(error.value)
    assert not PaperEntry.objects.exists()


def test_an_invalid_paper_ballot_is_cast_but_not_valid(hall_poll, chair, staff, residents):
    entry = enter(hall_poll, chair, residents[:3], yes=2, invalid=1)
    paper_entry_confirm(entry=entry, by=staff)

    services.poll_close(poll=hall_poll, by=chair, reason="表决完毕")

    result = Poll.objects.get(pk=hall_poll.pk).result
    assert (result["cast"], result["valid"], result["yes"]) == (3, 2, 2)


def test_paper_only_at_a_meeting(poll, chair, residents):
    with pytest.raises(ValidationError) as error:
        enter(poll, chair, residents[:1], yes=1)
    assert "only for a poll held at a meeting" in text(error.value)


def test_a_show_of_hands_is_refused_in_a_secret_poll(hall_poll, chair, residents):
    with pytest.raises(ValidationError) as error:
        paper_entry_add(
            poll=hall_poll,
            by=chair,
            kind=PaperEntry.Kind.HANDS,
            electors=electors_of(hall_poll, residents[:2]),
            ballots=yes_no_counts(hall_poll, yes=2),
        )
    assert "only in a named (roll-call) poll" in text(error.value)


def test_a_show_of_hands_in_a_named_poll_keeps_each_vote_with_its_voter(
    committee, chair, staff, make_person, open_poll
):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(4)]
    meeting = convene(committee, chair, Body.REPRESENTATIVES)
    check_in(meeting, representatives, chair)
    poll = open_poll(
        electorate=Poll.Electorate.MEETING,
        meeting=meeting,
        body=Body.REPRESENTATIVES,
        base=Poll.Base.PRESENT,
        named=True,
    )
    electors = electors_of(poll, representatives)
    codes = ["yes", "no", "yes", "abstain"]

    entry = paper_entry_add(
        poll=poll,
        by=chair,
        kind=PaperEntry.Kind.HANDS,
        electors=electors,
        ballots=[choose(poll, code) for code in codes],
    )
    paper_entry_confirm(entry=entry, by=staff)

    named = {ballot.elector_id: ballot for ballot in Ballot.objects.filter(poll=poll)}
    for elector, code in zip(electors, codes, strict=True):
        assert named[elector.pk].content == choose(poll, code)
        assert named[elector.pk].channel == Channel.HANDS
    services.poll_close(poll=poll, by=chair, reason="表决完毕")
    assert Poll.objects.get(pk=poll.pk).result["channels"]["hands"] == 4


def test_counts_per_option_become_ballots(hall_poll):
    contents = yes_no_counts(hall_poll, yes=2, no=1, invalid=1)
    assert sorted(map(json.dumps, contents)) == sorted(
        map(
            json.dumps,
            [
                choose(hall_poll, "yes"),
                choose(hall_poll, "yes"),
                choose(hall_poll, "no"),
                {"invalid": True},
            ],
        )
    )
    with pytest.raises(ValidationError):
        contents_from_counts(hall_poll, {999: 1})
    with pytest.raises(ValidationError):
        contents_from_counts(hall_poll, {option_id(hall_poll, "yes"): -1})


def test_the_ledger_records_the_tally_of_an_entry_and_its_confirmation(
    hall_poll, chair, staff, residents
):
    entry = enter(hall_poll, chair, residents[:3], yes=2, no=1)
    paper_entry_confirm(entry=entry, by=staff)

    entries = LedgerEntry.objects.filter(subject=subject_of(hall_poll)).order_by("seq")
    assert list(entries.values_list("kind", flat=True)) == [
        "poll.opened",
        "poll.paper_entered",
        "poll.paper_confirmed",
    ]
    entered = json.loads(entries[1].payload)["details"]
    assert entered == {
        "entry": entry.pk,
        "kind": "paper",
        "ballots": 3,
        "tally": {str(option_id(hall_poll, "yes")): 2, str(option_id(hall_poll, "no")): 1},
        "invalid": 0,
    }
    # Which voters were in the entry is on the participation rows, not in the ledger.
    assert "electors" not in entered
    assert json.loads(entries[2].payload)["details"]["ballots"] == 3
    assert ledger_verify().ok


def test_a_secret_entry_stores_its_voters_in_id_order(hall_poll, chair, residents):
    people = list(reversed(residents[:3]))
    entry = enter(hall_poll, chair, people, yes=3)
    assert entry.electors == sorted(e.pk for e in electors_of(hall_poll, people))
