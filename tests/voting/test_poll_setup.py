"""Setting up polls: a poll on a yes / no motion asks only what a yes / no vote has, and
ignores the rest if it is posted anyway; closing a poll early asks first, naming it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body
from voting.models import Poll

YES_NO_ONLY = ("title", "description", "electorate", "base", "named", "proxies_allowed")
NOT_FOR_A_MOTION = (
    "method",
    "options",
    "subjects",
    "min_choices",
    "max_choices",
    "meeting",
    "body",
)


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def motion(committee, chair, residents):
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="居民会议",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动中心",
        chair=chair,
    )
    meetings.meeting_open(meeting=meeting, by=chair)
    return meetings.motion_add(
        meeting=meeting, by=chair, kind="procedural", title="延长会议时间", text="延长半小时"
    )


def new_poll_url(motion=None, committee=None) -> str:
    url = reverse("voting:poll_new", args=[(committee or motion.meeting.committee).pk])
    return url + (f"?motion={motion.pk}" if motion else "")


def field_names(page: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', page))


def test_a_poll_on_a_motion_shows_only_the_fields_of_a_yes_no_vote(en, chair, motion):
    en.force_login(chair)

    page = en.get(new_poll_url(motion)).content.decode()

    fields = field_names(page)
    assert set(YES_NO_ONLY) <= fields
    assert not fields & set(NOT_FOR_A_MOTION)
    assert "It is voted yes / no / abstain, one choice per voter" in page


def test_a_poll_without_a_motion_still_offers_every_method(en, chair, committee):
    en.force_login(chair)

    fields = field_names(en.get(new_poll_url(committee=committee)).content.decode())

    assert set(NOT_FOR_A_MOTION) <= fields


def test_fields_posted_for_another_kind_of_vote_are_ignored_on_a_motion(en, chair, motion):
    en.force_login(chair)
    closes = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    response = en.post(
        new_poll_url(motion),
        {
            "title": "延长会议时间",
            "electorate": Poll.Electorate.MEETING,
            "base": Poll.Base.PRESENT,
            "closes_at": closes,
            # Not asked for a motion: a multiple choice of three, rating someone.
            "method": Poll.Method.MULTIPLE,
            "options": "甲\n乙\n丙",
            "subjects": "张三",
            "min_choices": 2,
            "max_choices": 3,
            "body": Body.REPRESENTATIVES,
        },
    )

    assert response.status_code == 302
    poll = Poll.objects.get(motion=motion)
    assert poll.method == Poll.Method.YES_NO
    assert (poll.min_choices, poll.max_choices) == (1, 1)
    assert sorted(poll.options.values_list("code", flat=True)) == ["abstain", "no", "yes"]
    assert not poll.subjects.exists()
    assert (poll.meeting, poll.body) == (motion.meeting, Body.ASSEMBLY)


def test_closing_a_poll_early_asks_first_naming_the_poll(en, chair, open_poll, residents):
    poll = open_poll(title="东门是否改为24小时开放")
    en.force_login(chair)

    page = en.get(reverse("voting:poll_close", args=[poll.pk])).content.decode()

    assert (
        'data-confirm="Voting on “东门是否改为24小时开放” stops now and the ballots are '
        'counted; this cannot be undone. Close it early?"'
    ) in page
    assert 'id="confirm-dialog"' in page and "js/confirm.js" in page


def test_the_vote_form_asks_through_the_shared_confirmation(en, poll, residents):
    en.force_login(residents[0])

    page = en.get(reverse("voting:poll_detail", args=[poll.pk])).content.decode()

    assert 'data-confirm="Once submitted, it cannot be changed. Cast this ballot?"' in page
    assert page.count("<dialog") == 1 and 'id="confirm-dialog"' in page
