"""The public decision pages, "My opinions" showing decisions, and decisions awaiting
disclosure on the disclosure schedule."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.decisions.models import Decision
from deliberation.decisions.services import decision_record
from deliberation.meetings.models import Body, Motion
from deliberation.tracing.selectors import decisions_for_topics
from townhall.disclosures import selectors as disclosure_selectors
from townhall.disclosures.models import DisclosurePage

from . import test_decisions
from .factories import OpinionFactory, TopicFactory

pytestmark = pytest.mark.django_db

# The decision fixtures, shared with test_decisions.py.
board = test_decisions.board
make_meeting = test_decisions.make_meeting
make_motion = test_decisions.make_motion
topic_motion = test_decisions.topic_motion


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def page_of(client, decision) -> str:
    response = client.get(reverse("deliberation:decision_detail", args=[decision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_decision_page_shows_the_vote_and_where_it_came_from(en, topic_motion, chair, board):
    decision = decision_record(motion=topic_motion, by=chair)

    text = page_of(en, decision)

    assert "同意在3号楼加装电梯" in text
    assert "Passed" in text
    assert "社区活动中心" in text
    for figure in (">30<", ">5<", ">60<", ">40<"):
        assert figure in text
    assert "more than half of those present" in text  # the residents' assembly's rule
    assert "At least 31 present were needed." in text
    assert reverse("deliberation:topic_detail", args=[topic_motion.topic.pk]) in text
    assert "想装电梯" in text
    assert "Waiting for the supervision committee" in text


def test_the_page_marks_a_short_notice(en, make_meeting, make_motion, chair, board):
    meeting = make_meeting(short_notice_reason="台风过后抢修")
    decision = decision_record(motion=make_motion(meeting), by=chair)

    text = page_of(en, decision)

    assert "Short notice" in text and "台风过后抢修" in text


def test_without_a_board_the_page_says_the_disclosure_could_not_be_drafted(
    en, make_motion, chair, wagtail_site
):
    decision = decision_record(motion=make_motion(), by=chair)

    assert "could not be drafted" in page_of(en, decision)


def test_a_published_disclosure_is_linked(en, make_motion, chair, board):
    decision = decision_record(motion=make_motion(), by=chair)
    page = DisclosurePage.objects.get(pk=decision.disclosure_id)
    page.get_latest_revision().publish()

    assert page.url in page_of(en, decision)


def test_the_revoked_decision_says_so_and_links_to_the_new_one(
    en, make_meeting, make_motion, chair, board
):
    lower = make_meeting(body=Body.REPRESENTATIVES)
    old = decision_record(motion=make_motion(lower, title="停车收费"), by=chair)
    new = decision_record(
        motion=make_motion(title="撤销停车收费决定", revises=old, revision="revoke"), by=chair
    )

    old_page = page_of(en, old)
    new_page = page_of(en, new)

    assert "Revoked by" in old_page
    assert reverse("deliberation:decision_detail", args=[new.pk]) in old_page
    assert "This decision revokes" in new_page
    assert reverse("deliberation:decision_detail", args=[old.pk]) in new_page


def test_a_revision_that_did_not_pass_leaves_the_decision_standing(
    en, make_meeting, make_motion, chair, board
):
    old = decision_record(motion=make_motion(make_meeting(body=Body.REPRESENTATIVES)), by=chair)
    decision_record(
        motion=make_motion(status=Motion.Status.FAILED, revises=old, revision="change"),
        by=chair,
    )

    assert "Changed by" not in page_of(en, old)


def test_the_list_shows_passed_and_failed_and_filters(en, committee, make_motion, chair, board):
    decision_record(motion=make_motion(title="加装电梯"), by=chair)
    decision_record(motion=make_motion(title="拆除花坛", status=Motion.Status.FAILED), by=chair)
    url = reverse("deliberation:decision_list", args=[committee.slug])

    everything = en.get(url).content.decode()
    failed = en.get(url, {"outcome": "failed"}).content.decode()

    assert "加装电梯" in everything and "拆除花坛" in everything
    assert "拆除花坛" in failed and "加装电梯" not in failed


def test_the_list_marks_overdue_decisions(en, committee, make_motion, chair, board):
    decision = decision_record(motion=make_motion(), by=chair)
    Decision.objects.filter(pk=decision.pk).update(
        execution=Decision.Execution.IN_PROGRESS,
        due_on=date.today() - timedelta(days=3),
        responsible=chair,
    )
    url = reverse("deliberation:decision_list", args=[committee.slug])

    assert "Overdue" in en.get(url, {"execution": "overdue"}).content.decode()


def test_a_bad_filter_is_ignored_not_an_error(en, committee):
    url = reverse("deliberation:decision_list", args=[committee.slug])

    assert en.get(url, {"execution": "nonsense"}).status_code == 200


# My opinions ---------------------------------------------------------------------------


def test_my_opinions_shows_the_decision_and_its_progress(en, topic_motion, chair, board, resident):
    decision = decision_record(motion=topic_motion, by=chair)
    Decision.objects.filter(pk=decision.pk).update(
        execution=Decision.Execution.IN_PROGRESS, percent_done=40
    )
    en.force_login(resident)

    text = en.get(reverse("deliberation:my_opinions")).content.decode()

    assert reverse("deliberation:decision_detail", args=[decision.pk]) in text
    assert "40% done" in text


def test_decisions_for_topics_reads_them_in_one_query(
    committee, grid, resident, make_motion, chair, board, django_assert_num_queries
):
    topics = [TopicFactory(committee=committee) for _ in range(3)]
    for topic in topics:
        OpinionFactory(committee=committee, grid=grid, author=resident, topic=topic)
        decision_record(motion=make_motion(topic=topic), by=chair)

    with django_assert_num_queries(1):
        found = decisions_for_topics([t.pk for t in topics])
        titles = [d.motion.meeting.title for ds in found.values() for d in ds]

    assert len(titles) == 3


# The disclosure schedule ---------------------------------------------------------------


def test_an_undisclosed_decision_is_owed_on_the_schedule(committee, make_motion, chair, board):
    decision = decision_record(motion=make_motion(), by=chair)

    dates = disclosure_selectors.events_awaiting_disclosure([committee])[
        (committee.pk, "decisions")
    ]

    assert dates == [timezone.localdate(decision.decided_at)]
    assert (
        disclosure_selectors.events_awaiting_disclosure([committee])[(committee.pk, "funds")] == []
    )


def test_a_published_decision_is_owed_no_more(committee, make_motion, chair, board):
    decision = decision_record(motion=make_motion(), by=chair)
    DisclosurePage.objects.get(pk=decision.disclosure_id).get_latest_revision().publish()

    assert (
        disclosure_selectors.events_awaiting_disclosure([committee])[(committee.pk, "decisions")]
        == []
    )
