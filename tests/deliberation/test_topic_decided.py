"""A topic sent to a decision is "decided" once its decision is recorded: the topic page
says so, offers the committee nothing more to do, and links the decision, as the poll's
result and the meeting page do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.decisions.models import Decision
from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body, Motion
from deliberation.topics import services
from deliberation.topics.models import PartyReview, TopicStatus
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from townhall.ledger.verification import ledger_verify
from voting import selectors as voting_selectors
from voting import services as voting
from voting.models import Option, Poll

from .factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def sent(committee, chair):
    """A topic sent to a decision, with its consultation opinion and an agreeing party
    review (what a motion on it needs)."""
    topic = TopicFactory(
        committee=committee,
        title="3号楼加装电梯",
        status=TopicStatus.TO_DECISION,
        consultation_opinion="使用维修基金为3号楼加装电梯。",
        created_by=chair,
    )
    PartyReview.objects.create(
        topic=topic,
        reviewed_on=timezone.localdate(),
        reviewed_by="社区党委",
        outcome=PartyReview.Outcome.AGREED,
        recorded_by=chair,
    )
    return topic


@pytest.fixture
def residents(make_person, committee, grid):
    """Three verified residents: the assembly's roll, fixed when it opens."""
    return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]


@pytest.fixture
def assembly(committee, chair, residents):
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="2026年第二次居民会议",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动中心",
        chair=chair,
    )
    meeting = meetings.meeting_open(meeting=meeting, by=chair)
    for resident in residents:
        meetings.attendance_check_in(meeting=meeting, person=resident, by=chair)
    return meeting


def decided(motion, chair, *, passed=True):
    """The chair counts the hands (all three residents present) and so records the
    motion's decision."""
    yes, no = (2, 1) if passed else (1, 2)
    motion = meetings.motion_count(motion=motion, by=chair, yes=yes, no=no, abstain=0)
    return Decision.objects.get(motion=motion)


def topic_motion(assembly, chair, topic, title="为3号楼加装电梯"):
    return meetings.motion_add(
        meeting=assembly,
        by=chair,
        kind=Motion.Kind.TOPIC,
        topic=topic,
        title=title,
        text="同意使用维修基金为3号楼加装电梯。",
    )


# The service ---------------------------------------------------------------------------


def test_recording_the_decision_decides_the_topic_with_history_and_ledger(sent, assembly, chair):
    decision = decided(topic_motion(assembly, chair, sent), chair)

    sent.refresh_from_db()
    assert sent.status == TopicStatus.DECIDED
    change = sent.history.order_by("-at", "-pk").first()
    assert (change.from_status, change.to_status, change.by) == (
        TopicStatus.TO_DECISION,
        TopicStatus.DECIDED,
        chair,
    )
    entry = LedgerEntry.objects.filter(subject=subject_of(sent)).order_by("-seq").first()
    assert entry.kind == "topic.status_changed"
    assert '"to":"decided"' in entry.payload
    assert f'"decision":{decision.pk}' in entry.payload
    assert ledger_verify().ok


def test_a_vote_that_did_not_pass_decides_the_topic_too(sent, assembly, chair):
    decided(topic_motion(assembly, chair, sent), chair, passed=False)

    sent.refresh_from_db()
    assert sent.status == TopicStatus.DECIDED


def test_a_second_decision_on_the_topic_leaves_it_decided_once(sent, assembly, chair):
    first = topic_motion(assembly, chair, sent, "方案一：加装电梯")
    second = topic_motion(assembly, chair, sent, "方案二：加装电梯并改造楼道")
    decided(first, chair)
    entries = LedgerEntry.objects.filter(subject=subject_of(sent)).count()

    decided(second, chair, passed=False)

    sent.refresh_from_db()
    assert sent.status == TopicStatus.DECIDED
    assert sent.history.filter(to_status=TopicStatus.DECIDED).count() == 1
    assert LedgerEntry.objects.filter(subject=subject_of(sent)).count() == entries


@pytest.mark.parametrize(
    "status",
    [s for s in TopicStatus if s != TopicStatus.TO_DECISION],
)
def test_topic_decided_leaves_a_topic_not_sent_to_a_decision_as_it_is(
    committee, chair, status, sent, assembly
):
    decision = decided(topic_motion(assembly, chair, sent), chair)
    other = TopicFactory(committee=committee, status=status, outcome_note="居委会协调办理。")

    services.topic_decided(topic=other, decision=decision, by=chair)

    other.refresh_from_db()
    assert other.status == status
    assert not other.history.exists()
    assert not LedgerEntry.objects.filter(subject=subject_of(other)).exists()


# The pages -----------------------------------------------------------------------------


def test_a_decided_topic_says_so_offers_nothing_more_and_links_its_decision(
    en, sent, assembly, chair
):
    decision = decided(topic_motion(assembly, chair, sent), chair)
    en.force_login(chair)

    page = en.get(reverse("deliberation:topic_detail", args=[sent.pk])).content.decode()

    decision_url = reverse("deliberation:decision_detail", args=[decision.pk])
    assert "A decision meeting has decided this topic." in page
    assert "Decided by a decision meeting (已作出决议)" in page
    assert page.count(f'href="{decision_url}"') == 2  # at the top and in the outcome
    assert "Decided by the Residents&#x27; assembly (居民会议) on" in page
    assert reverse("deliberation:topic_outcome", args=[sent.pk]) not in page
    assert "Decide the outcome" not in page
    assert "For the committee" not in page
    assert "The topic goes to a decision meeting" not in page


def test_the_committee_cannot_choose_an_outcome_for_a_decided_topic(en, sent, assembly, chair):
    decided(topic_motion(assembly, chair, sent), chair)
    en.force_login(chair)

    response = en.post(
        reverse("deliberation:topic_outcome", args=[sent.pk]),
        {"to": TopicStatus.SETTLED, "note": "居委会协调办理。"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("deliberation:topic_detail", args=[sent.pk])
    assert "This topic cannot change its outcome now." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == TopicStatus.DECIDED


def test_a_topic_still_waiting_for_its_decision_is_not_said_to_be_decided(en, sent, chair):
    en.force_login(chair)

    page = en.get(reverse("deliberation:topic_detail", args=[sent.pk])).content.decode()

    assert "A decision meeting has decided this topic." not in page
    assert "The topic goes to a decision meeting" in page


def test_the_meeting_page_links_each_decision(en, sent, assembly, chair):
    on_topic = topic_motion(assembly, chair, sent)
    waiting = meetings.motion_add(
        meeting=assembly, by=chair, kind=Motion.Kind.PROCEDURAL, title="下次会议时间", text="下月"
    )
    decision = decided(on_topic, chair)

    page = en.get(reverse("deliberation:meeting_detail", args=[assembly.pk])).content.decode()

    assert page.count("data-decision-link") == 1
    assert f'href="{reverse("deliberation:decision_detail", args=[decision.pk])}"' in page
    assert waiting.title in page


def test_the_poll_result_links_the_decision_it_made(en, sent, assembly, chair, residents):
    motion = topic_motion(assembly, chair, sent)
    poll = voting.poll_open(
        poll=voting.poll_create(
            committee=assembly.committee,
            by=chair,
            title=motion.title,
            method=Poll.Method.YES_NO,
            closes_at=timezone.now() + timedelta(hours=1),
            electorate=Poll.Electorate.MEETING,
            base=Poll.Base.PRESENT,
            motion=motion,
        ),
        by=chair,
    )
    yes = Option.objects.get(poll=poll, code="yes").pk
    for resident in residents:
        voting.ballot_cast(poll=poll, voter=resident, content={"options": [yes]})
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    voting_selectors.poll_for_read(poll.pk)  # counted on the first read after closing
    motion.refresh_from_db()
    decision = motion.decision

    page = en.get(reverse("voting:poll_detail", args=[poll.pk])).content.decode()

    assert f'href="{reverse("deliberation:decision_detail", args=[decision.pk])}"' in page
    assert "data-decision-link" in page
    sent.refresh_from_db()
    assert sent.status == TopicStatus.DECIDED
