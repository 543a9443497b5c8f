"""One opinion's page: what was said, by whom as far as the viewer may know, and the
whole history; hidden text only for its author and the moderators."""

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.opinions.models import Category, Kind, Status
from deliberation.opinions.services import opinion_status_change, opinion_submit
from tests.deliberation.factories import OpinionFactory
from townhall.community.models import Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def detail_url(opinion):
    return reverse("deliberation:opinion_detail", args=[opinion.pk])


def test_anyone_reads_an_opinion_with_its_history(en, committee, grid, resident, chair):
    chair.real_name = "张主任"
    chair.save()
    opinion, _created = opinion_submit(
        committee=committee,
        author=resident,
        grid=grid,
        kind=Kind.PROPOSAL,
        title="建一个快递柜",
        body="快递总是丢。",
        category=Category.FACILITIES,
    )
    opinion_status_change(opinion=opinion, by=chair, to=Status.CONSIDERING, text="下周讨论。")

    html = en.get(detail_url(opinion)).content.decode()

    assert "建一个快递柜" in html
    assert "快递总是丢。" in html
    assert "Improvement proposal" in html
    assert grid.name in html
    assert resident.display_name in html
    assert resident.real_name not in html
    assert "Submitted" in html and "Under consideration" in html
    assert "张主任" in html
    assert "下周讨论。" in html


def test_hidden_opinion_shows_the_reason_to_others(en, make_person, committee, grid, resident):
    opinion = OpinionFactory(
        committee=committee,
        grid=grid,
        author=resident,
        title="骂人的话",
        body="不堪入目",
        hidden_at=timezone.now(),
        hidden_reason="人身攻击",
    )
    en.force_login(make_person(committee, Role.RESIDENT, grid=grid))

    html = en.get(detail_url(opinion)).content.decode()

    assert "Hidden by moderators: 人身攻击" in html
    assert "骂人的话" not in html
    assert "不堪入目" not in html


def test_author_still_reads_their_hidden_opinion(en, committee, grid, resident):
    opinion = OpinionFactory(
        committee=committee,
        grid=grid,
        author=resident,
        body="我的原话",
        hidden_at=timezone.now(),
        hidden_reason="含电话号码",
    )
    en.force_login(resident)

    html = en.get(detail_url(opinion)).content.decode()

    assert "我的原话" in html
    assert "Only its author and the moderators see the text." in html


def test_staff_reads_a_hidden_opinion(en, staff, committee, grid):
    opinion = OpinionFactory(
        committee=committee, grid=grid, body="原文", hidden_at=timezone.now(), hidden_reason="r"
    )
    en.force_login(staff)

    assert "原文" in en.get(detail_url(opinion)).content.decode()


def test_an_opinion_that_does_not_exist_is_not_found(en, db):
    assert en.get(reverse("deliberation:opinion_detail", args=[999])).status_code == 404
