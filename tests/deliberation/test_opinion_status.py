"""The committee handles an opinion: under consideration, answered (reply required),
declined (reason required) or referred; every change in the history, the ledger and the
author's inbox."""

import pytest
from django.urls import reverse

from deliberation.opinions.models import OpinionStatusChange, Status
from deliberation.opinions.services import opinion_status_change
from tests.deliberation.factories import TopicFactory
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def status_url(opinion):
    return reverse("deliberation:opinion_status", args=[opinion.pk])


def detail_url(opinion):
    return reverse("deliberation:opinion_detail", args=[opinion.pk])


def test_chair_answers_an_opinion_and_the_author_is_told(en, chair, opinion, resident):
    chair.real_name = "张主任"
    chair.save()
    en.force_login(chair)

    response = en.post(
        status_url(opinion), {"to": Status.ANSWERED, "text": "物业已于周三更换灯泡。"}, follow=True
    )

    opinion.refresh_from_db()
    assert (opinion.status, opinion.reply) == (Status.ANSWERED, "物业已于周三更换灯泡。")
    change = OpinionStatusChange.objects.get(to_status=Status.ANSWERED)
    assert (change.from_status, change.by) == (Status.SUBMITTED, chair)
    assert Notification.objects.filter(recipient=resident).count() == 1
    assert LedgerEntry.objects.filter(kind="opinion.status_changed").count() == 1
    assert ledger_verify().ok
    html = response.content.decode()
    assert "The status is changed and the author is told." in html
    assert "物业已于周三更换灯泡。" in html
    assert "张主任" in html  # office holders act in public under their real names
    assert "The committee has given its final answer" in html


def test_staff_moves_an_opinion_under_consideration(en, staff, opinion):
    en.force_login(staff)

    en.post(status_url(opinion), {"to": Status.CONSIDERING, "text": ""})

    opinion.refresh_from_db()
    assert opinion.status == Status.CONSIDERING


def test_declining_without_a_reason_is_refused_and_the_form_keeps_its_choice(en, chair, opinion):
    en.force_login(chair)

    response = en.post(status_url(opinion), {"to": Status.DECLINED, "text": "  "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the reason for declining: the resident will read it." in html
    assert 'value="declined" selected' in html
    opinion.refresh_from_db()
    assert opinion.status == Status.SUBMITTED
    assert OpinionStatusChange.objects.filter(to_status=Status.DECLINED).count() == 0


def test_answering_without_a_reply_keeps_nothing_half_done(en, chair, opinion):
    en.force_login(chair)

    response = en.post(status_url(opinion), {"to": Status.ANSWERED, "text": ""})

    assert "Write the reply the resident will read." in response.content.decode()
    assert Notification.objects.count() == 0


def test_referral_takes_an_optional_note(en, chair, opinion):
    en.force_login(chair)

    en.post(status_url(opinion), {"to": Status.REFERRED, "text": ""})

    opinion.refresh_from_db()
    assert opinion.status == Status.REFERRED


def test_a_final_status_is_not_offered_again(en, chair, opinion):
    opinion_status_change(opinion=opinion, by=chair, to=Status.DECLINED, text="不属于居委会职责。")
    en.force_login(chair)

    response = en.post(status_url(opinion), {"to": Status.ANSWERED, "text": "改主意了"})

    assert "This opinion can no longer change its status." in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == Status.DECLINED


def test_resident_cannot_change_the_status(en, make_person, committee, grid, opinion):
    neighbour = make_person(committee, Role.RESIDENT, grid=grid)
    en.force_login(neighbour)

    response = en.post(status_url(opinion), {"to": Status.ANSWERED, "text": "我说好了"})

    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.status == Status.SUBMITTED
    assert "For the committee" not in en.get(detail_url(opinion)).content.decode()


def test_grid_worker_cannot_change_the_status(en, grid_worker, opinion):
    en.force_login(grid_worker)

    assert en.post(status_url(opinion), {"to": Status.CONSIDERING}).status_code == 403


def test_committee_member_without_two_step_verification_is_sent_to_set_it_up(
    en, make_person, committee, opinion
):
    member = make_person(committee, Role.MEMBER)
    en.force_login(member)

    response = en.post(status_url(opinion), {"to": Status.CONSIDERING})

    assert response.url == reverse("mfa_activate_totp")


def test_merged_opinion_names_its_topic(en, chair, committee, opinion):
    topic = TopicFactory(committee=committee, title="楼道照明改造")
    opinion_status_change(opinion=opinion, by=chair, to=Status.MERGED, topic=topic)

    html = en.get(detail_url(opinion)).content.decode()

    assert "Merged into topic:" in html
    assert "楼道照明改造" in html
