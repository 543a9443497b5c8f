"""A counted motion becomes a decision: its ledger entry, its disclosure in the
supervision review, the notice to the topic's people, and Art 30 revisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from deliberation.decisions.models import Decision
from deliberation.decisions.services import decision_record
from deliberation.meetings.models import Body, Meeting, Motion
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage
from townhall.disclosures.review import disclosure_review_decide
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from townhall.ledger.verification import ledger_verify

from .factories import OpinionFactory, TopicFactory

pytestmark = pytest.mark.django_db


# Fixtures shared with test_decision_pages.py and test_minutes.py -----------------------


@pytest.fixture
def board(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(
            title="居务公开栏", slug=f"board-{committee.pk}", committee=committee
        )
    )


@pytest.fixture
def supervisor(make_person, committee):
    return make_person(committee, Role.SUPERVISOR, mfa=True, real_name="赵德明")


@pytest.fixture
def make_meeting(committee, chair):
    def make(**fields):
        values = {
            "committee": committee,
            "body": Body.ASSEMBLY,
            "title": "2026年第一次居民会议",
            "starts_at": timezone.now() - timedelta(hours=2),
            "place": "社区活动中心",
            "convened_by": chair,
            "chair": chair,
            "status": Meeting.Status.OPEN,
            **fields,
        }
        return Meeting.objects.create(**values)

    return make


@pytest.fixture
def make_motion(make_meeting, chair):
    """A motion counted by show of hands: 30 of 40 present (of 60 on the roll) for it."""

    def make(meeting=None, *, status=Motion.Status.PASSED, **fields):
        values = {
            "meeting": meeting or make_meeting(),
            "kind": Motion.Kind.PROCEDURAL,
            "title": "加装电梯方案",
            "text": "同意在3号楼加装电梯，费用按楼层分摊。",
            "status": status,
            "method": Motion.Method.SHOW_OF_HANDS,
            "yes": 30 if status == Motion.Status.PASSED else 10,
            "no": 5,
            "abstain": 5,
            "members_at_vote": 60,
            "present_at_vote": 40,
            "voted_at": timezone.now() - timedelta(hours=1),
            "counted_by": chair,
            **fields,
        }
        if values.get("topic"):
            values["kind"] = Motion.Kind.TOPIC
        return Motion.objects.create(**values)

    return make


@pytest.fixture
def topic_motion(make_motion, committee, grid, resident):
    topic = TopicFactory(committee=committee, title="3号楼加装电梯")
    OpinionFactory(committee=committee, grid=grid, author=resident, topic=topic, title="想装电梯")
    return make_motion(topic=topic)


# Recording ---------------------------------------------------------------------------


def test_a_passed_motion_becomes_a_passed_decision(make_motion, chair, board):
    motion = make_motion()

    decision = decision_record(motion=motion, by=chair)

    assert decision.passed is True
    assert decision.decided_at == motion.voted_at
    assert decision.committee == motion.meeting.committee


def test_a_failed_motion_is_recorded_too(make_motion, chair, board):
    decision = decision_record(motion=make_motion(status=Motion.Status.FAILED), by=chair)

    assert decision.passed is False
    assert Decision.objects.count() == 1


def test_no_quorum_makes_no_decision(make_motion, chair, board):
    motion = make_motion(status=Motion.Status.NO_QUORUM)

    assert decision_record(motion=motion, by=chair) is None
    assert not Decision.objects.exists()
    assert not LedgerEntry.objects.filter(kind="decision.recorded").exists()


def test_a_pending_motion_makes_no_decision(make_motion, chair):
    assert decision_record(motion=make_motion(status=Motion.Status.PENDING), by=chair) is None


def test_recording_twice_returns_the_same_decision(make_motion, chair, board):
    motion = make_motion()

    first = decision_record(motion=motion, by=chair)
    second = decision_record(motion=motion, by=chair)

    assert first == second
    assert LedgerEntry.objects.filter(kind="decision.recorded").count() == 1


def test_a_resident_cannot_record_a_decision(make_motion, resident):
    with pytest.raises(PermissionDenied):
        decision_record(motion=make_motion(), by=resident)

    assert not Decision.objects.exists()


def test_the_decision_is_in_the_ledger_and_the_ledger_verifies(make_motion, chair, board):
    decision = decision_record(motion=make_motion(), by=chair)

    entry = LedgerEntry.objects.get(kind="decision.recorded")
    assert entry.subject == subject_of(decision)
    assert entry.actor == chair
    assert entry.content_hash
    assert ledger_verify().ok


def test_changing_the_voted_text_afterwards_breaks_the_ledger(make_motion, chair, board):
    motion = make_motion()
    decision_record(motion=motion, by=chair)

    Motion.objects.filter(pk=motion.pk).update(text="改过的文字")

    assert not ledger_verify().ok


# Disclosure --------------------------------------------------------------------------


def test_the_decision_is_drafted_as_a_disclosure_in_the_review(topic_motion, chair, board):
    decision = decision_record(motion=topic_motion, by=chair)

    page = DisclosurePage.objects.get(pk=decision.disclosure_id)
    assert page.category == "decisions"
    assert not page.live
    assert page.current_workflow_state is not None
    body = page.body
    assert "同意在3号楼加装电梯" in body
    assert "3号楼加装电梯" in body and "想装电梯" in body  # topic and opinion titles
    assert "30" in body and "40" in body and "60" in body


def test_the_short_notice_is_marked_on_the_disclosure(make_meeting, make_motion, chair, board):
    meeting = make_meeting(short_notice_reason="台风过后抢修，需尽快决定")

    decision = decision_record(motion=make_motion(meeting), by=chair)

    assert "台风过后抢修" in decision.disclosure.body


def test_a_supervisor_approving_publishes_the_decision(make_motion, chair, board, supervisor):
    decision = decision_record(motion=make_motion(), by=chair)
    page = DisclosurePage.objects.get(pk=decision.disclosure_id)

    disclosure_review_decide(
        task_state=page.current_workflow_state.current_task_state, user=supervisor, approve=True
    )

    assert DisclosurePage.objects.get(pk=page.pk).live
    assert LedgerEntry.objects.filter(kind="disclosure.published").exists()
    assert ledger_verify().ok


def test_without_a_board_the_decision_is_still_recorded(make_motion, chair, wagtail_site):
    decision = decision_record(motion=make_motion(), by=chair)

    assert Decision.objects.get(pk=decision.pk).disclosure is None
    assert LedgerEntry.objects.filter(kind="decision.recorded").count() == 1
    assert ledger_verify().ok


# Notice ------------------------------------------------------------------------------


def test_the_people_who_brought_the_topic_are_told_the_outcome(
    topic_motion, chair, board, resident
):
    decision = decision_record(motion=topic_motion, by=chair)

    notice = Notification.objects.get(recipient=resident)
    assert "加装电梯方案" in notice.message
    assert notice.url.endswith(f"/decisions/{decision.pk}/")


def test_a_failed_motion_is_told_as_not_passed(make_motion, committee, grid, chair, resident):
    topic = TopicFactory(committee=committee)
    OpinionFactory(committee=committee, grid=grid, author=resident, topic=topic)
    with translation.override("en"):
        decision_record(motion=make_motion(topic=topic, status=Motion.Status.FAILED), by=chair)

    assert Notification.objects.filter(recipient=resident).count() == 1


# Art 30 revisions --------------------------------------------------------------------


def test_a_revising_decision_links_to_the_one_it_revokes(make_meeting, make_motion, chair, board):
    lower = make_meeting(body=Body.REPRESENTATIVES, title="居民代表会议")
    old = decision_record(motion=make_motion(lower, title="停车收费"), by=chair)
    old_content = LedgerEntry.objects.get(kind="decision.recorded").content_hash

    motion = make_motion(title="撤销停车收费决定", revises=old, revision="revoke")
    new = decision_record(motion=motion, by=chair)

    assert new.motion.revises == old
    old.refresh_from_db()
    assert old.passed is True
    assert LedgerEntry.objects.filter(subject=subject_of(old)).get().content_hash == old_content
    assert "撤销" not in old.motion.title
    assert ledger_verify().ok
