"""The published result of a poll, computed from the rows a count finds: ballots,
participation, the frozen electorate and the meeting's roll. Polls, electors and
ballots are written directly, as the services would leave them."""

import json
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.meetings.models import Body, Meeting, RollMember
from tests.factories import HouseholdFactory, UserFactory
from townhall.community.models import Household
from voting.models import (
    Ballot,
    Channel,
    Elector,
    Option,
    Participation,
    Poll,
    Subject,
)
from voting.results import result_compute, tally_from_contents

pytestmark = pytest.mark.django_db

M = Poll.Method
B = Poll.Base


@pytest.fixture(autouse=True)
def _english(settings):
    # The result is written in the site's language; read it in the msgids' language.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def official(db):
    return UserFactory()


def poll_make(
    committee,
    by,
    *,
    method=M.YES_NO,
    electorate=Poll.Electorate.HOUSEHOLDS,
    body=Body.ASSEMBLY,
    base=B.CAST,
    options=(),
    subjects=(),
    meeting=None,
    electors=0,
):
    """An open poll with its options (yes / no / abstain for yes-no polls) and an
    electorate of `electors` households, as `poll_open` leaves it."""
    poll = Poll.objects.create(
        committee=committee,
        title="加装电梯",
        method=method,
        electorate=electorate,
        body=body,
        base=base,
        meeting=meeting,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(hours=1),
        status=Poll.Status.OPEN,
        created_by=by,
    )
    if method == M.YES_NO:
        options = [("同意", "yes"), ("反对", "no"), ("弃权", "abstain")]
    else:
        options = [(label, "") for label in options]
    for order, (label, code) in enumerate(options):
        Option.objects.create(poll=poll, order=order, label=label, code=code)
    for order, label in enumerate(subjects):
        Subject.objects.create(poll=poll, order=order, label=label)
    grid = HouseholdFactory().grid
    households = Household.objects.bulk_create(
        Household(grid=grid, address=f"{n}栋101") for n in range(electors)
    )
    Elector.objects.bulk_create(
        Elector(poll=poll, household=household, basis=Elector.Basis.HOUSEHOLD)
        for household in households
    )
    poll.eligible = electors
    poll.save(update_fields=["eligible"])
    return poll


def option_ids(poll):
    return {option.code or option.label: option.pk for option in poll.options.all()}


def vote(poll, content, *, channel=Channel.ONLINE, elector=None):
    """One elector's participation and their ballot, the next elector who has not voted
    unless one is named."""
    if elector is None:
        elector = Elector.objects.filter(poll=poll, participation__isnull=True).first()
    Participation.objects.create(
        poll=poll, elector=elector, channel=channel, voted_at=timezone.now()
    )
    Ballot.objects.create(receipt=secrets.token_hex(8), poll=poll, content=content, channel=channel)


def votes(poll, *codes, channel=Channel.ONLINE):
    ids = option_ids(poll)
    for code in codes:
        vote(poll, {"options": [ids[code]]}, channel=channel)


# Yes / no / abstain ---------------------------------------------------------------------


def test_an_assembly_poll_passes_with_more_than_half_of_those_taking_part(committee, official):
    poll = poll_make(committee, official, electors=10)
    votes(poll, "yes", "yes", "yes", "yes", "no", "abstain")
    result = result_compute(poll)
    ids = option_ids(poll)
    assert result["passed"] is True
    assert result["decided"] is True
    assert (result["yes"], result["no"], result["abstain"]) == (4, 1, 1)
    assert (result["members"], result["cast"], result["valid"], result["base_count"]) == (
        10,
        6,
        6,
        6,
    )
    assert result["needed"] == 4
    assert result["tally"] == {str(ids["yes"]): 4, str(ids["no"]): 1, str(ids["abstain"]): 1}
    assert result["channels"] == {"online": 6, "proxy": 0, "paper": 0, "hands": 0}
    assert result["reason"] == "Passed: 4 of 6 present voted for it (more than half)."


def test_abstentions_count_against_an_assembly_poll(committee, official):
    poll = poll_make(committee, official, electors=10)
    votes(poll, "yes", "yes", "yes", "no", "abstain", "abstain", "abstain")
    result = result_compute(poll)
    assert (result["decided"], result["passed"]) == (True, False)
    assert result["reason"] == "Not passed: 3 of 7 present voted for it; 4 were needed."


def test_a_tie_is_reported_as_a_tie_not_a_pass(committee, official):
    poll = poll_make(committee, official, electors=10)
    votes(poll, "yes", "yes", "yes", "no", "no", "no")
    result = result_compute(poll)
    assert (result["decided"], result["passed"]) == (True, False)
    assert result["reason"] == "Not passed: a tie, 3 of 6, is not more than half."


def test_a_unanimous_poll_without_quorum_decides_nothing(committee, official):
    # 5 of 10 households taking part is not more than half (Art 27).
    poll = poll_make(committee, official, electors=10)
    votes(poll, "yes", "yes", "yes", "yes", "yes")
    result = result_compute(poll)
    assert (result["decided"], result["passed"]) == (False, False)
    assert result["reason"].startswith("Quorum not met")


@pytest.fixture
def meeting(committee, official):
    """An assembly of 10 households on the roll."""
    meeting = Meeting.objects.create(
        committee=committee,
        body=Body.ASSEMBLY,
        by_household=True,
        title="居民会议",
        starts_at=timezone.now(),
        place="社区活动室",
        convened_by=official,
        chair=official,
        status=Meeting.Status.OPEN,
    )
    grid = HouseholdFactory().grid
    for n in range(10):
        household = Household.objects.create(grid=grid, address=f"{n}号楼")
        RollMember.objects.create(
            meeting=meeting, household=household, basis=RollMember.Basis.HOUSEHOLD
        )
    return meeting


def meeting_poll(committee, official, meeting, base):
    """8 of the 10 members checked in when the poll opened; 6 still there at the close.
    Four of those vote yes; one member votes no and leaves before the close."""
    poll = poll_make(
        committee,
        official,
        electorate=Poll.Electorate.MEETING,
        meeting=meeting,
        base=base,
        electors=8,
    )
    electors = list(poll.electors.all())
    for elector in electors[:6]:
        elector.present_at_close = True
    for elector in electors[6:]:
        elector.present_at_close = False
    Elector.objects.bulk_update(electors, ["present_at_close"])
    ids = option_ids(poll)
    for elector in electors[:4]:
        vote(poll, {"options": [ids["yes"]]}, elector=elector)
    vote(poll, {"options": [ids["no"]]}, elector=electors[6])
    return poll


def test_a_meeting_poll_counts_the_members_present_voting_or_not(committee, official, meeting):
    result = result_compute(meeting_poll(committee, official, meeting, B.PRESENT))
    # The quorum is the body's: its roll of 10, not the 8 checked in when the poll opened.
    assert (result["members"], result["eligible"]) == (10, 8)
    # Present: the 6 still checked in and the one who voted before leaving.
    assert (result["present"], result["base_count"], result["cast"]) == (7, 7, 5)
    assert (result["decided"], result["passed"]) == (True, True)
    assert result["reason"] == "Passed: 4 of 7 present voted for it (more than half)."


def test_the_same_meeting_counted_over_ballots_cast_misses_the_quorum(committee, official, meeting):
    result = result_compute(meeting_poll(committee, official, meeting, B.CAST))
    assert (result["present"], result["base_count"], result["cast"]) == (7, 5, 5)
    assert (result["decided"], result["passed"]) == (False, False)


def test_invalid_paper_ballots_count_as_cast_but_not_as_valid(committee, official):
    poll = poll_make(committee, official, body="", base=B.VALID, electors=20)
    votes(poll, "yes", "yes", "no", channel=Channel.PAPER)
    vote(poll, {"invalid": True}, channel=Channel.PAPER)
    vote(poll, {"invalid": True}, channel=Channel.PAPER)
    result = result_compute(poll)
    assert (result["cast"], result["valid"], result["base_count"]) == (5, 3, 3)
    assert (result["yes"], result["no"], result["abstain"]) == (2, 1, 0)
    assert result["channels"]["paper"] == 5
    assert result["passed"] is True  # 2 of 3 valid ballots


def test_a_consultation_over_ballots_cast_counts_invalid_ones_against(committee, official):
    poll = poll_make(committee, official, body="", base=B.CAST, electors=20)
    votes(poll, "yes", "yes", "no", channel=Channel.PAPER)
    vote(poll, {"invalid": True}, channel=Channel.PAPER)
    vote(poll, {"invalid": True}, channel=Channel.PAPER)
    result = result_compute(poll)
    assert result["base_count"] == 5
    assert (result["decided"], result["passed"]) == (True, False)


# Single and multiple choice, graded --------------------------------------------------------


def test_a_single_choice_tie_has_no_winner(committee, official):
    poll = poll_make(
        committee, official, method=M.SINGLE, body="", options=["东门", "西门", "南门"], electors=9
    )
    votes(poll, "东门", "西门", "东门", "西门", "南门")
    ids = option_ids(poll)
    result = result_compute(poll)
    assert result["tally"] == {str(ids["东门"]): 2, str(ids["西门"]): 2, str(ids["南门"]): 1}
    assert result["winner"] is None
    assert result["tie"] == sorted([ids["东门"], ids["西门"]])
    assert result["decided"] is False
    assert "tie" in result["reason"]


def test_a_multiple_choice_winner_and_its_share_of_ballots(committee, official):
    poll = poll_make(
        committee,
        official,
        method=M.MULTIPLE,
        body="",
        options=["健身器材", "儿童滑梯", "凉亭"],
        electors=9,
    )
    ids = option_ids(poll)
    for chosen in (["健身器材", "凉亭"], ["健身器材"], ["儿童滑梯", "健身器材"], ["凉亭"]):
        vote(poll, {"options": [ids[label] for label in chosen]})
    result = result_compute(poll)
    assert result["tally"][str(ids["健身器材"])] == 3
    assert result["winner"] == ids["健身器材"]
    assert result["majority"] is True  # 3 of 4 ballots


def test_each_person_rated_gets_the_plurality_grade(committee, official):
    poll = poll_make(
        committee,
        official,
        method=M.GRADED,
        body="",
        options=["优秀", "称职", "基本称职", "不称职"],
        subjects=["张主任", "李委员"],
        electors=9,
    )
    grades = option_ids(poll)
    zhang, li = poll.subjects.values_list("pk", flat=True)
    for for_zhang, for_li in [("优秀", "称职"), ("称职", "不称职"), ("称职", "称职")]:
        vote(poll, {"grades": {str(zhang): grades[for_zhang], str(li): grades[for_li]}})
    vote(poll, {"invalid": True}, channel=Channel.PAPER)
    result = result_compute(poll)
    assert result["grades"][str(zhang)] == {
        str(grades["优秀"]): 1,
        str(grades["称职"]): 2,
        str(grades["基本称职"]): 0,
        str(grades["不称职"]): 0,
    }
    assert result["outcomes"][str(zhang)]["grade"] == grades["称职"]
    assert result["outcomes"][str(li)]["grade"] == grades["称职"]
    assert result["decided"] is True
    assert (result["cast"], result["valid"]) == (4, 3)
    assert "tally" not in result


def test_a_graded_tie_gives_no_grade(committee, official):
    poll = poll_make(
        committee,
        official,
        method=M.GRADED,
        body="",
        options=["满意", "基本满意", "不满意"],
        subjects=["居委会"],
        electors=4,
    )
    grades = option_ids(poll)
    (committee_rated,) = poll.subjects.values_list("pk", flat=True)
    for grade in ("满意", "不满意"):
        vote(poll, {"grades": {str(committee_rated): grades[grade]}})
    outcome = result_compute(poll)["outcomes"][str(committee_rated)]
    assert outcome["grade"] is None
    assert outcome["tie"] == [grades["满意"], grades["不满意"]]


# The published JSON -----------------------------------------------------------------------


def test_the_result_survives_a_round_trip_through_json(committee, official, meeting):
    result = result_compute(meeting_poll(committee, official, meeting, B.PRESENT))
    assert json.loads(json.dumps(result)) == result


def test_counting_takes_the_same_few_queries_however_many_ballots(
    committee, official, django_assert_max_num_queries
):
    poll = poll_make(committee, official, body="", electors=300)
    yes = option_ids(poll)["yes"]
    electors = list(poll.electors.all())
    Participation.objects.bulk_create(
        Participation(poll=poll, elector=e, channel=Channel.ONLINE, voted_at=timezone.now())
        for e in electors
    )
    Ballot.objects.bulk_create(
        Ballot(receipt=f"r{n}", poll=poll, content={"options": [yes]}, channel=Channel.ONLINE)
        for n in range(len(electors))
    )
    poll = Poll.objects.get(pk=poll.pk)
    with django_assert_max_num_queries(6):
        result = result_compute(poll)
    assert (result["cast"], result["yes"], result["passed"]) == (300, 300, True)


def test_tally_from_contents_counts_valid_ballots_with_json_keys():
    assert tally_from_contents(
        M.SINGLE, [{"options": [3]}, {"options": [3]}, {"invalid": True}]
    ) == {"3": 2}
    assert tally_from_contents(M.MULTIPLE, [{"options": [1, 2]}, {"options": [2]}]) == {
        "1": 1,
        "2": 2,
    }
    assert tally_from_contents(
        M.GRADED, [{"grades": {"7": 1, "8": 2}}, {"grades": {"7": 1, "8": 1}}, {"invalid": True}]
    ) == {"7": {"1": 2}, "8": {"2": 1, "1": 1}}
