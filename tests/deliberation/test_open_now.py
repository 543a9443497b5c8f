"""The home page's "open now" and the committee page's way into deliberation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.models import CollectionMeeting
from deliberation.topics.models import Origin, TopicStatus
from townhall.community.models import Role

from .factories import TopicFactory


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _meeting(committee, creator, days):
    return CollectionMeeting.objects.create(
        committee=committee,
        title=f"意见收集会{days}",
        held_at=timezone.now() + timedelta(days=days),
        place="活动中心",
        created_by=creator,
    )


def test_home_lists_coming_meetings_proposals_and_topics_open_to_comments_not_finished_ones(
    en, wagtail_site, committee, staff
):
    _meeting(committee, staff, days=3)
    _meeting(committee, staff, days=-3)
    TopicFactory(committee=committee, title="加装电梯", status=TopicStatus.DISCUSSION)
    TopicFactory(
        committee=committee,
        title="增设充电桩",
        status=TopicStatus.PROPOSED,
        origin=Origin.JOINT_PROPOSAL,
    )
    TopicFactory(committee=committee, title="楼道照明", status=TopicStatus.CONSULTED)
    TopicFactory(
        committee=committee, title="已关闭的议题", status=TopicStatus.CLOSED, outcome_note="已解决"
    )

    page = en.get("/").content.decode()

    assert "意见收集会3" in page and "Opinion collection meeting" in page
    assert "意见收集会-3" not in page
    assert "加装电梯" in page and "Topic in discussion" in page
    assert "增设充电桩" in page and "Joint proposal: collecting signatures" in page
    assert "楼道照明" in page and "Topic: consultation opinion reached" in page
    assert "已关闭的议题" not in page
    assert "Nothing is open right now" not in page


def test_home_says_nothing_is_open_when_nothing_is(en, wagtail_site, committee):
    assert "Nothing is open right now" in en.get("/").content.decode()


def test_committee_page_leads_to_opinions_topics_and_meetings(en, committee):
    page = en.get(f"/committees/{committee.slug}/").content.decode()

    assert f'href="/committees/{committee.slug}/opinions/"' in page
    assert f'href="/committees/{committee.slug}/topics/"' in page
    assert f'href="/committees/{committee.slug}/collection-meetings/"' in page
    assert "/moderation/" not in page


def test_staff_find_the_moderation_queue_on_the_committee_page(en, committee, staff):
    en.force_login(staff)
    page = en.get(f"/committees/{committee.slug}/").content.decode()
    assert f'href="/committees/{committee.slug}/moderation/"' in page


def test_my_opinions_is_in_the_navigation_of_every_page(en, committee, make_person):
    en.force_login(make_person(committee, Role.RESIDENT))
    assert 'href="/me/opinions/"' in en.get(f"/committees/{committee.slug}/").content.decode()


def test_home_lists_announced_decision_meetings_and_petitions_collecting_signatures(
    en, wagtail_site, committee, staff, chair, resident
):
    from deliberation.meetings.models import Body, Meeting, Petition

    Meeting.objects.create(
        committee=committee,
        body=Body.ASSEMBLY,
        title="居民会议：修订公约",
        starts_at=timezone.now() + timedelta(days=12),
        place="中心广场",
        convened_by=chair,
        chair=chair,
    )
    Petition.objects.create(
        committee=committee,
        body=Body.ASSEMBLY,
        title="召开居民会议讨论物业续签",
        reason="合同到期",
        created_by=resident,
    )

    page = en.get("/").content.decode()

    assert "居民会议：修订公约" in page and "Residents&#x27; assembly" in page
    assert "召开居民会议讨论物业续签" in page
    assert "Petition to convene: collecting signatures" in page


def test_home_lists_a_poll_open_for_ballots_but_not_a_draft_or_a_closed_one(
    en, wagtail_site, committee, staff
):
    from voting.models import Poll

    def poll(title, status, closes_in):
        return Poll.objects.create(
            committee=committee,
            title=title,
            method=Poll.Method.YES_NO,
            electorate=Poll.Electorate.RESIDENTS,
            base=Poll.Base.CAST,
            status=status,
            opens_at=timezone.now() - timedelta(hours=1),
            closes_at=timezone.now() + timedelta(hours=closes_in),
            created_by=staff,
        )

    open_poll = poll("是否同意更换3栋电梯", Poll.Status.OPEN, 2)
    poll("草稿投票", Poll.Status.DRAFT, 2)
    poll("已过截止时间", Poll.Status.OPEN, -1)

    page = en.get("/").content.decode()

    assert "是否同意更换3栋电梯" in page and "Poll open: vote before it closes" in page
    assert f'href="/polls/{open_poll.pk}/"' in page
    assert "草稿投票" not in page and "已过截止时间" not in page
