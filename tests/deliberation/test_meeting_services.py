"""Decision meetings as the law has them: convening with notice, the agenda's gates, the
roll frozen at opening, check-in, the live quorum, the chair's count and closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from deliberation.decisions.models import Decision
from deliberation.meetings import services
from deliberation.meetings.models import Attendance, Body, Meeting, Motion, Petition, RollMember
from deliberation.meetings.selectors import meeting_quorum
from deliberation.topics.models import PartyReview, TopicStatus
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import HouseholdFactory, MembershipFactory
from .factories import TopicFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def convene(committee, chair):
    def make(**fields):
        values = {
            "committee": committee,
            "by": chair,
            "body": Body.ASSEMBLY,
            "title": "2025年第一次居民会议",
            "starts_at": in_days(12),
            "place": "社区活动中心",
            "chair": chair,
        }
        return services.meeting_convene(**{**values, **fields})

    return make


@pytest.fixture
def residents(make_person, committee, grid):
    return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(5)]


@pytest.fixture
def open_assembly(convene, chair, residents):
    meeting = convene()
    return services.meeting_open(meeting=meeting, by=chair)


def kinds() -> list[str]:
    return list(LedgerEntry.objects.order_by("seq").values_list("kind", flat=True))


def check_in(meeting, people, by):
    for person in people:
        services.attendance_check_in(meeting=meeting, person=person, by=by)


# Convening -----------------------------------------------------------------------------


def test_convening_ten_days_ahead_announces_and_tells_the_residents(convene, residents):
    meeting = convene()

    assert meeting.status == Meeting.Status.SCHEDULED and not meeting.short_notice
    assert kinds() == ["meeting.convened"]
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {person.pk for person in residents}
    assert ledger_verify().ok


def test_short_notice_without_a_reason_is_refused(convene):
    with translation.override("en"), pytest.raises(ValidationError, match="at least 10 days"):
        convene(starts_at=in_days(3))
    assert not Meeting.objects.exists()


def test_short_notice_with_a_reason_is_marked(convene):
    meeting = convene(starts_at=in_days(3), short_notice_reason="暴雨后紧急排水")

    assert meeting.short_notice and meeting.short_notice_reason == "暴雨后紧急排水"


def test_a_reason_given_with_enough_notice_is_not_kept(convene):
    assert not convene(short_notice_reason="无需").short_notice


def test_representatives_assembly_with_too_few_representatives_is_refused(
    convene, make_person, committee
):
    make_person(committee, Role.MEMBER)
    make_person(committee, Role.REPRESENTATIVE)
    with translation.override("en"), pytest.raises(ValidationError, match="at least 4/5"):
        convene(body=Body.REPRESENTATIVES)


def test_representatives_assembly_tells_committee_and_representatives(
    convene, make_person, committee, chair, residents
):
    reps = [make_person(committee, Role.REPRESENTATIVE) for _ in range(4)]

    convene(body=Body.REPRESENTATIVES)

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {chair.pk} | {rep.pk for rep in reps}


def test_a_resident_cannot_convene(convene, residents):
    with pytest.raises(PermissionDenied):
        convene(by=residents[0])


def test_the_chair_must_be_an_office_holder(convene, residents):
    with pytest.raises(ValidationError):
        convene(chair=residents[0])


def test_convening_answers_the_petition(convene, committee, residents):
    petition = Petition.objects.create(
        committee=committee,
        body=Body.ASSEMBLY,
        title="加装电梯",
        reason="老人多",
        created_by=residents[0],
    )
    meeting = convene(petition=petition)

    petition.refresh_from_db()
    assert petition.answered_by == meeting


# The agenda ----------------------------------------------------------------------------


@pytest.fixture
def topic_to_decision(committee, chair):
    return TopicFactory(
        committee=committee,
        status=TopicStatus.TO_DECISION,
        consultation_opinion="分两期更换声控灯。",
    )


def add_topic_motion(meeting, by, topic):
    return services.motion_add(
        meeting=meeting, by=by, kind=Motion.Kind.TOPIC, title="更换声控灯", text="同意", topic=topic
    )


def test_topic_without_party_review_cannot_be_put_to_a_vote(convene, chair, topic_to_decision):
    with translation.override("en"), pytest.raises(ValidationError, match="party organisation"):
        add_topic_motion(convene(), chair, topic_to_decision)


def test_topic_with_party_review_goes_on_the_agenda_in_order(convene, chair, topic_to_decision):
    PartyReview.objects.create(
        topic=topic_to_decision,
        reviewed_on=timezone.localdate(),
        reviewed_by="社区党委",
        outcome=PartyReview.Outcome.AGREED,
        recorded_by=chair,
    )
    meeting = convene()
    first = add_topic_motion(meeting, chair, topic_to_decision)
    second = services.motion_add(
        meeting=meeting, by=chair, kind=Motion.Kind.PROCEDURAL, title="推选计票人", text="张三"
    )

    assert (first.order, second.order) == (1, 2)
    assert kinds()[-2:] == ["motion.added", "motion.added"]


def test_charter_motion_refused_in_an_unauthorised_representatives_assembly(
    convene, make_person, committee, chair
):
    for _ in range(4):
        make_person(committee, Role.REPRESENTATIVE)
    meeting = convene(body=Body.REPRESENTATIVES)
    with translation.override("en"), pytest.raises(ValidationError, match="charter"):
        services.motion_add(
            meeting=meeting, by=chair, kind=Motion.Kind.CHARTER, title="修改公约", text="…"
        )


def test_charter_motion_allowed_in_the_assembly(convene, chair):
    motion = services.motion_add(
        meeting=convene(), by=chair, kind=Motion.Kind.CHARTER, title="修改公约", text="第三条"
    )
    assert motion.kind == Motion.Kind.CHARTER


# The roll ------------------------------------------------------------------------------


def test_opening_freezes_the_assembly_roll(open_assembly, residents, make_person, committee):
    make_person(committee, Role.RESIDENT)  # too late: the roll is frozen

    assert open_assembly.status == Meeting.Status.OPEN
    roll = RollMember.objects.filter(meeting=open_assembly)
    assert {row.person_id for row in roll} == {person.pk for person in residents}
    assert kinds()[-1] == "meeting.opened"
    assert LedgerEntry.objects.get(kind="meeting.opened").payload.find('"roll":5') >= 0


def test_household_mode_has_one_row_per_household(convene, chair, grid, committee):
    households = [HouseholdFactory(grid=grid) for _ in range(3)]
    meeting = services.meeting_open(meeting=convene(by_household=True), by=chair)

    rows = RollMember.objects.filter(meeting=meeting)
    assert {row.household_id for row in rows} == {h.pk for h in households}
    assert all(row.basis == RollMember.Basis.HOUSEHOLD and row.person is None for row in rows)


def test_representatives_roll_lists_each_person_once(convene, chair, make_person, committee):
    reps = [make_person(committee, Role.REPRESENTATIVE) for _ in range(4)]
    MembershipFactory(person=chair, committee=committee, role=Role.REPRESENTATIVE)
    make_person(committee, Role.RESIDENT)

    meeting = services.meeting_open(meeting=convene(body=Body.REPRESENTATIVES), by=chair)

    basis = dict(RollMember.objects.filter(meeting=meeting).values_list("person_id", "basis"))
    assert basis == {chair.pk: "committee", **{rep.pk: "representative" for rep in reps}}


def test_a_meeting_opens_once(open_assembly, chair):
    with pytest.raises(ValidationError):
        services.meeting_open(meeting=open_assembly, by=chair)


# Check-in and the quorum ----------------------------------------------------------------


def test_check_in_counts_towards_the_quorum(open_assembly, residents, chair):
    check_in(open_assembly, residents[:2], chair)
    assert meeting_quorum(open_assembly) == {
        "members": 5,
        "present": 2,
        "needed": 3,
        "met": False,
        "reason": meeting_quorum(open_assembly)["reason"],
    }

    services.attendance_check_in(meeting=open_assembly, person=residents[2], by=residents[2])
    assert meeting_quorum(open_assembly)["met"]


def test_check_out_and_in_again_uses_one_row(open_assembly, residents, chair):
    person = residents[0]
    check_in(open_assembly, [person], chair)
    services.attendance_check_out(meeting=open_assembly, person=person, by=person)
    assert meeting_quorum(open_assembly)["present"] == 0

    services.attendance_check_in(meeting=open_assembly, person=person, by=person)

    row = Attendance.objects.get(meeting=open_assembly, person=person)
    assert row.checked_out_at is None and meeting_quorum(open_assembly)["present"] == 1


def test_someone_not_on_the_roll_is_an_observer(open_assembly, make_person, committee, chair):
    newcomer = make_person(committee, Role.RESIDENT)

    attendance = services.attendance_check_in(meeting=open_assembly, person=newcomer, by=chair)

    assert attendance.is_observer and meeting_quorum(open_assembly)["present"] == 0


def test_only_the_chair_marks_others_present(open_assembly, residents):
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(meeting=open_assembly, person=residents[1], by=residents[0])


def test_a_stranger_cannot_check_in(open_assembly, make_person, chair):
    from ..factories import CommitteeFactory

    stranger = make_person(CommitteeFactory(), Role.RESIDENT)
    with pytest.raises(ValidationError):
        services.attendance_check_in(meeting=open_assembly, person=stranger, by=stranger)


def test_no_check_in_before_opening(convene, residents):
    with pytest.raises(ValidationError):
        services.attendance_check_in(meeting=convene(), person=residents[0], by=residents[0])


def test_household_seat_goes_to_the_first_of_the_household(
    convene, chair, grid, committee, make_person
):
    home = HouseholdFactory(grid=grid)
    first, second = make_person(committee), make_person(committee)
    for person in (first, second):
        MembershipFactory(person=person, committee=committee, role=Role.RESIDENT, household=home)
    meeting = services.meeting_open(meeting=convene(by_household=True), by=chair)

    seat = services.attendance_check_in(meeting=meeting, person=first, by=first)
    other = services.attendance_check_in(meeting=meeting, person=second, by=second)

    assert not seat.is_observer and other.is_observer
    assert RollMember.objects.get(meeting=meeting).person == first
    services.attendance_check_out(meeting=meeting, person=first, by=first)
    services.attendance_check_out(meeting=meeting, person=second, by=second)
    assert not services.attendance_check_in(meeting=meeting, person=second, by=second).is_observer


# Counting ------------------------------------------------------------------------------


@pytest.fixture
def motion(open_assembly, chair):
    return services.motion_add(
        meeting=open_assembly, by=chair, kind=Motion.Kind.PROCEDURAL, title="表决", text="同意"
    )


def test_count_passes_with_more_than_half_of_those_present(motion, residents, chair):
    check_in(motion.meeting, residents[:4], chair)

    counted = services.motion_count(motion=motion, by=chair, yes=3, no=1, abstain=0)

    assert counted.status == Motion.Status.PASSED
    assert (counted.members_at_vote, counted.present_at_vote) == (5, 4)
    assert counted.method == Motion.Method.SHOW_OF_HANDS and counted.counted_by == chair
    assert Decision.objects.get(motion=motion).passed
    assert "motion.counted" in kinds() and ledger_verify().ok


def test_a_tie_fails(motion, residents, chair):
    check_in(motion.meeting, residents[:4], chair)
    counted = services.motion_count(motion=motion, by=chair, yes=2, no=2, abstain=0)
    assert counted.status == Motion.Status.FAILED
    assert not Decision.objects.get(motion=motion).passed


def test_abstentions_count_against(motion, residents, chair):
    check_in(motion.meeting, residents[:5], chair)
    counted = services.motion_count(motion=motion, by=chair, yes=2, no=1, abstain=2)
    assert counted.status == Motion.Status.FAILED


def test_without_quorum_nothing_passes(motion, residents, chair):
    check_in(motion.meeting, residents[:2], chair)

    counted = services.motion_count(motion=motion, by=chair, yes=2, no=0, abstain=0)

    assert counted.status == Motion.Status.NO_QUORUM
    assert not Decision.objects.filter(motion=motion).exists()


def test_more_votes_than_present_is_refused(motion, residents, chair):
    check_in(motion.meeting, residents[:3], chair)
    with translation.override("en"), pytest.raises(ValidationError, match="only 3 members"):
        services.motion_count(motion=motion, by=chair, yes=3, no=1, abstain=0)
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PENDING


def test_observers_do_not_count(motion, make_person, committee, residents, chair):
    check_in(motion.meeting, [*residents[:2], make_person(committee, Role.RESIDENT)], chair)
    with pytest.raises(ValidationError):
        services.motion_count(motion=motion, by=chair, yes=3, no=0, abstain=0)


def test_a_motion_is_counted_once(motion, residents, chair):
    check_in(motion.meeting, residents[:3], chair)
    services.motion_count(motion=motion, by=chair, yes=3, no=0, abstain=0)
    with pytest.raises(ValidationError):
        services.motion_count(motion=motion, by=chair, yes=0, no=3, abstain=0)


# Closing -------------------------------------------------------------------------------


def test_closing_checks_everyone_out(open_assembly, residents, chair):
    check_in(open_assembly, residents[:3], chair)

    meeting = services.meeting_close(meeting=open_assembly, by=chair)

    assert meeting.status == Meeting.Status.CLOSED and meeting.closed_at
    assert not Attendance.objects.filter(checked_out_at__isnull=True).exists()
    assert kinds()[-1] == "meeting.closed"
    with pytest.raises(ValidationError):
        services.attendance_check_in(meeting=meeting, person=residents[4], by=residents[4])
    with pytest.raises(ValidationError):
        services.motion_add(
            meeting=meeting, by=chair, kind=Motion.Kind.PROCEDURAL, title="晚了", text="…"
        )
