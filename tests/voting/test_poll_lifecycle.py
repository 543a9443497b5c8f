"""A poll's life: drafted with checks, opened (the electorate frozen, with each member's
reason), closed early only with a reason, counted on the first read after its closing
time (no cron), and a meeting motion decided by its poll."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deliberation.decisions.models import Decision
from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body, Motion
from townhall.community.models import Role
from townhall.ledger import canonical
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from townhall.ledger.verification import ledger_verify
from voting import selectors, services
from voting.models import Elector, Option, Poll, Subject
from voting.services import BallotRefused

from ..factories import HouseholdFactory, MembershipFactory
from .conftest import choose, in_hours


def kinds(poll) -> list[str]:
    entries = LedgerEntry.objects.filter(subject=subject_of(poll)).order_by("seq")
    return list(entries.values_list("kind", flat=True))


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Drafting ------------------------------------------------------------------------------


def test_yes_no_poll_gets_the_three_options_of_the_law(make_poll):
    poll = make_poll()

    assert poll.status == Poll.Status.DRAFT
    codes = list(Option.objects.filter(poll=poll).values_list("code", flat=True))
    assert codes == ["yes", "no", "abstain"]
    assert not poll.named and kinds(poll) == []  # a draft is not public


def test_only_those_who_run_polls_may_draft_one(make_poll, resident):
    with pytest.raises(PermissionDenied):
        make_poll(by=resident)


def test_single_choice_needs_two_options(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(method=Poll.Method.SINGLE, options=["方案一", " "])
    assert "at least two options" in messages(error.value)


def test_multiple_choice_bounds_must_fit_the_options(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(
            method=Poll.Method.MULTIPLE, options=["甲", "乙", "丙"], min_choices=2, max_choices=4
        )
    assert "1 ≤ fewest ≤ most ≤ the number of options (3)" in messages(error.value)

    poll = make_poll(
        method=Poll.Method.MULTIPLE, options=["甲", "乙", "丙"], min_choices=1, max_choices=2
    )
    assert (poll.min_choices, poll.max_choices, poll.options.count()) == (1, 2, 3)


def test_graded_poll_needs_a_scale_and_someone_to_rate(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(method=Poll.Method.GRADED, options=["满意"], subjects=[])
    text = messages(error.value)
    assert "at least two grades" in text and "at least one person or item" in text

    poll = make_poll(
        method=Poll.Method.GRADED, options=["满意", "基本满意", "不满意"], subjects=["居委会"]
    )
    assert list(poll.options.values_list("label", flat=True)) == ["满意", "基本满意", "不满意"]
    assert Subject.objects.get(poll=poll).label == "居委会"


def test_every_problem_is_reported_at_once(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(title=" ", closes_at=timezone.now() - timedelta(minutes=1), named=True)
    text = messages(error.value)
    assert "title" in text
    assert "closing time must be in the future" in text
    assert "residents always vote in secret" in text
    assert not Poll.objects.exists()


def test_a_body_counts_over_those_present_not_valid_ballots(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(body=Body.ASSEMBLY, base=Poll.Base.VALID)
    assert "easier than the law" in messages(error.value)


def test_no_proxies_in_representatives_votes(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(electorate=Poll.Electorate.REPRESENTATIVES, proxies_allowed=True)
    assert "proxies are not allowed" in messages(error.value)


def test_meeting_poll_needs_its_meeting(make_poll):
    with pytest.raises(ValidationError) as error:
        make_poll(electorate=Poll.Electorate.MEETING)
    assert "needs the meeting" in messages(error.value)


# Opening: the electorate is frozen -----------------------------------------------------


def test_opening_freezes_the_verified_residents_with_their_basis(
    make_poll, chair, residents, make_person, committee, grid
):
    make_person(committee, Role.GRID_WORKER, grid=grid)  # not a resident: no vote
    poll = services.poll_open(poll=make_poll(), by=chair)

    assert poll.status == Poll.Status.OPEN and poll.eligible == 5
    electors = Elector.objects.filter(poll=poll)
    assert {e.person_id for e in electors} == {p.pk for p in residents}
    assert {e.basis for e in electors} == {Elector.Basis.RESIDENT}
    assert kinds(poll) == ["poll.opened"]
    entry = LedgerEntry.objects.get(kind="poll.opened")
    assert entry.content_hash == canonical.content_hash(services.poll_opened_content(poll))
    assert ledger_verify().ok


def test_a_resident_verified_after_opening_cannot_vote(poll, make_person, committee, grid):
    newcomer = make_person(committee, Role.RESIDENT, grid=grid)

    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(poll=poll, voter=newcomer, content=choose(poll, "yes"))

    assert refused.value.code == "not_eligible"
    assert "fixed when the poll opened" in refused.value.message
    assert Poll.objects.get(pk=poll.pk).eligible == 5


def test_a_resident_who_leaves_after_opening_keeps_the_vote_and_the_snapshot_its_basis(
    poll, residents
):
    leaver = residents[0]
    leaver.memberships.update(
        end=timezone.localdate() - timedelta(days=1),
        start=timezone.localdate() - timedelta(days=30),
    )

    services.ballot_cast(poll=poll, voter=leaver, content=choose(poll, "no"))

    assert Elector.objects.get(poll=poll, person=leaver).basis == Elector.Basis.RESIDENT


def test_opening_twice_is_refused(poll, chair):
    with pytest.raises(ValidationError):
        services.poll_open(poll=poll, by=chair)
    assert kinds(poll) == ["poll.opened"]


def test_an_empty_electorate_is_refused(make_poll, chair):
    with pytest.raises(ValidationError) as error:
        services.poll_open(poll=make_poll(), by=chair)
    assert "electorate would be empty" in messages(error.value)
    assert Poll.objects.get().status == Poll.Status.DRAFT


def test_household_poll_gives_one_vote_per_household(
    make_poll, chair, committee, grid, make_person
):
    both, alone, _empty = (HouseholdFactory(grid=grid) for _ in range(3))
    people = []
    for home in (both, both, alone):
        person = make_person(committee)
        MembershipFactory(person=person, committee=committee, role=Role.RESIDENT, household=home)
        people.append(person)
    poll = services.poll_open(poll=make_poll(electorate=Poll.Electorate.HOUSEHOLDS), by=chair)

    assert poll.eligible == 2  # the household with no verified resident has no vote
    assert set(Elector.objects.filter(poll=poll).values_list("household_id", "basis")) == {
        (both.pk, Elector.Basis.HOUSEHOLD),
        (alone.pk, Elector.Basis.HOUSEHOLD),
    }
    services.ballot_cast(poll=poll, voter=people[0], content=choose(poll, "yes"))
    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(poll=poll, voter=people[1], content=choose(poll, "no"))
    assert refused.value.code == "already_voted"
    services.ballot_cast(poll=poll, voter=people[2], content=choose(poll, "no"))
    assert selectors.turnout(poll) == {"voted": 2, "eligible": 2}


def test_representatives_poll_is_the_representatives_and_the_committee(
    make_poll, chair, committee, make_person, residents
):
    representative = make_person(committee, Role.REPRESENTATIVE)
    member = make_person(committee, Role.MEMBER, Role.REPRESENTATIVE)
    make_person(committee, Role.SUPERVISOR)  # supervisors do not vote in the body

    poll = services.poll_open(
        poll=make_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True), by=chair
    )

    rows = set(Elector.objects.filter(poll=poll).values_list("person_id", "basis"))
    assert rows == {
        (representative.pk, Elector.Basis.REPRESENTATIVE),
        (member.pk, Elector.Basis.COMMITTEE),
        (chair.pk, Elector.Basis.COMMITTEE),
    }


@pytest.fixture
def assembly(committee, chair, residents):
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="2025年第二次居民会议",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动中心",
        chair=chair,
    )
    return meetings.meeting_open(meeting=meeting, by=chair)


def check_in(meeting, people, by):
    for person in people:
        meetings.attendance_check_in(meeting=meeting, person=person, by=by)


def test_meeting_poll_electorate_is_the_members_checked_in(
    assembly, make_poll, chair, residents, make_person, committee
):
    observer = make_person(committee, Role.STAFF)
    check_in(assembly, [*residents[:3], observer], chair)
    meetings.attendance_check_out(meeting=assembly, person=residents[2], by=chair)

    poll = services.poll_open(
        poll=make_poll(
            electorate=Poll.Electorate.MEETING,
            meeting=assembly,
            body=Body.ASSEMBLY,
            base=Poll.Base.PRESENT,
        ),
        by=chair,
    )

    rows = set(Elector.objects.filter(poll=poll).values_list("person_id", "basis"))
    assert rows == {(p.pk, Elector.Basis.PRESENT) for p in residents[:2]}


# Closing -------------------------------------------------------------------------------


def test_closing_early_needs_a_reason(poll, chair):
    with pytest.raises(ValidationError) as error:
        services.poll_close(poll=poll, by=chair, reason="  ")
    assert "reason" in messages(error.value)
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


def test_closing_early_records_the_reason_and_counts(poll, chair, residents):
    for voter, code in zip(residents[:3], ["yes", "yes", "no"], strict=True):
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, code))

    closed = services.poll_close(poll=poll, by=chair, reason="会议提前结束，全部居民已表决")

    assert closed.status == Poll.Status.CLOSED and closed.closed_by == chair
    assert closed.close_reason == "会议提前结束，全部居民已表决"
    assert closed.closed_at < closed.closes_at
    assert (closed.result["yes"], closed.result["no"], closed.result["cast"]) == (2, 1, 3)
    assert kinds(poll) == ["poll.opened", "poll.closed_early", "poll.counted"]
    early = LedgerEntry.objects.get(kind="poll.closed_early")
    assert "会议提前结束" in early.payload
    assert ledger_verify().ok


def test_a_resident_cannot_close_a_poll(poll, residents):
    with pytest.raises(PermissionDenied):
        services.poll_close(poll=poll, by=residents[0], reason="不想投了")


def test_poll_counts_itself_on_the_first_read_after_closing_time(poll, residents):
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    closes_at = timezone.now() - timedelta(seconds=1)
    Poll.objects.filter(pk=poll.pk).update(closes_at=closes_at)

    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN  # nothing runs on a timer
    read = selectors.poll_for_read(poll.pk)

    assert read.status == Poll.Status.CLOSED
    assert read.closed_at == closes_at and read.closed_by is None and read.close_reason == ""
    assert read.result["cast"] == 1 and read.result["yes"] == 1
    counted = LedgerEntry.objects.get(kind="poll.counted")
    assert counted.actor is None
    assert counted.content_hash == canonical.content_hash(read.result)

    selectors.poll_for_read(poll.pk)  # a second read counts nothing again
    assert kinds(poll) == ["poll.opened", "poll.counted"]
    assert ledger_verify().ok


def test_a_counted_poll_whose_result_is_edited_fails_verification(poll, residents):
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    services.poll_close(poll=poll, by=poll.opened_by, reason="测试")
    counted = Poll.objects.get(pk=poll.pk)
    Poll.objects.filter(pk=poll.pk).update(result={**counted.result, "yes": 5})

    verdict = ledger_verify()

    assert not verdict.ok and "changed after" in verdict.reason


def test_open_polls_not_due_are_read_without_a_count(poll, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.poll_settle_if_due(poll) is poll


def test_polls_for_lists_open_polls_of_the_voter_and_counts_due_ones(
    open_poll, residents, make_person, committee
):
    running = open_poll(title="选择健身器材的位置")
    due = open_poll(title="是否更换物业")
    services.ballot_cast(poll=running, voter=residents[0], content=choose(running, "yes"))
    Poll.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    stranger = make_person(committee, Role.GRID_WORKER)

    listed = selectors.polls_for(residents[0])

    assert [(p.title, p.voted) for p in listed["open"]] == [("选择健身器材的位置", True)]
    assert [p.title for p in listed["counted"]] == ["是否更换物业"]
    assert Poll.objects.get(pk=due.pk).status == Poll.Status.CLOSED
    assert selectors.polls_for(stranger)["open"] == []


def test_a_later_opening_time_is_kept(make_poll, chair, residents):
    later = in_hours(2)
    poll = services.poll_open(poll=make_poll(opens_at=later), by=chair)
    assert poll.opens_at == later


# The motion seam -----------------------------------------------------------------------


@pytest.fixture
def motion(assembly, chair):
    return meetings.motion_add(
        meeting=assembly, by=chair, kind=Motion.Kind.PROCEDURAL, title="加装电梯", text="同意加装"
    )


def motion_poll(make_poll, chair, motion):
    return services.poll_open(
        poll=make_poll(electorate=Poll.Electorate.MEETING, base=Poll.Base.PRESENT, motion=motion),
        by=chair,
    )


def test_counted_motion_poll_decides_the_motion(make_poll, chair, motion, residents):
    check_in(motion.meeting, residents[:4], chair)
    poll = motion_poll(make_poll, chair, motion)
    assert poll.body == Body.ASSEMBLY and poll.meeting == motion.meeting
    for voter, code in zip(residents[:4], ["yes", "yes", "yes", "no"], strict=True):
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, code))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    selectors.poll_for_read(poll.pk)

    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED and motion.method == Motion.Method.POLL
    assert (motion.yes, motion.no, motion.abstain) == (3, 1, 0)
    assert (motion.members_at_vote, motion.present_at_vote) == (5, 4)  # the roll, present
    assert motion.counted_by == chair  # who opened the poll, for an automatic close
    assert Decision.objects.get(motion=motion).passed
    assert LedgerEntry.objects.filter(kind="motion.counted", subject=subject_of(motion)).exists()
    assert ledger_verify().ok


def test_motion_poll_without_quorum_is_never_a_pass(make_poll, chair, motion, residents):
    check_in(motion.meeting, residents[:2], chair)  # 2 of 5: not more than half
    poll = motion_poll(make_poll, chair, motion)
    for voter in residents[:2]:
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))

    services.poll_close(poll=poll, by=chair, reason="全部到会成员已表决")

    motion.refresh_from_db()
    assert motion.status == Motion.Status.NO_QUORUM
    assert not Decision.objects.filter(motion=motion).exists()
    assert Poll.objects.get(pk=poll.pk).result["decided"] is False


def test_members_who_left_before_the_count_are_not_present(make_poll, chair, motion, residents):
    check_in(motion.meeting, residents[:4], chair)
    poll = motion_poll(make_poll, chair, motion)
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    meetings.attendance_check_out(meeting=motion.meeting, person=residents[3], by=chair)

    services.poll_close(poll=poll, by=chair, reason="表决完毕")

    present = dict(Elector.objects.filter(poll=poll).values_list("person_id", "present_at_close"))
    assert present == {
        residents[0].pk: True,
        residents[1].pk: True,
        residents[2].pk: True,
        residents[3].pk: False,
    }


def test_a_motion_poll_must_be_yes_no(make_poll, motion):
    with pytest.raises(ValidationError) as error:
        make_poll(
            electorate=Poll.Electorate.MEETING,
            base=Poll.Base.PRESENT,
            motion=motion,
            method=Poll.Method.SINGLE,
            options=["甲", "乙"],
        )
    assert "yes / no / abstain" in messages(error.value)
