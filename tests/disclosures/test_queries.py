"""Residents query a disclosure; the committee answers where everyone can read it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.disclosures.models import DisclosureQuery

from ..conftest import give_totp
from ..factories import CommitteeFactory, MembershipFactory
from .conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(draft):
    return publish(draft())


def test_verified_resident_asks_and_everyone_sees_the_question(client, resident, published):
    client.force_login(resident)

    response = client.post(
        reverse("disclosures:query_new", args=[published.pk]), {"question": "维修费有发票吗？"}
    )

    assert response.status_code == 302
    client.logout()
    assert "维修费有发票吗？" in client.get(published.url).content.decode()


def test_empty_question_is_refused_on_the_page_itself(client, resident, published):
    client.force_login(resident)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("disclosures:query_new", args=[published.pk]), {"question": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not DisclosureQuery.objects.exists()


def test_resident_of_another_committee_cannot_query(client, published):
    outsider = MembershipFactory(committee=CommitteeFactory(), role=Role.RESIDENT).person
    client.force_login(outsider)

    response = client.post(
        reverse("disclosures:query_new", args=[published.pk]), {"question": "问一下"}
    )

    assert response.status_code == 403


def test_staff_answer_is_shown_with_its_time_and_the_resident_is_told(
    client, resident, make_person, committee, published
):
    query = DisclosureQuery.objects.create(page=published, asked_by=resident, question="发票呢？")
    staff = make_person(committee, Role.STAFF)
    give_totp(staff)
    client.force_login(staff)

    client.post(
        reverse("disclosures:query_answer", args=[query.pk]), {"answer": "发票在居委会可查阅。"}
    )

    query.refresh_from_db()
    assert query.answered_by == staff and query.answered_at
    assert Notification.objects.filter(recipient=resident).exists()
    assert "发票在居委会可查阅。" in client.get(published.url).content.decode()


def test_supervisor_cannot_answer_in_the_committees_place(
    client, resident, make_person, committee, published
):
    query = DisclosureQuery.objects.create(page=published, asked_by=resident, question="发票呢？")
    supervisor = make_person(committee, Role.SUPERVISOR)
    give_totp(supervisor)
    client.force_login(supervisor)

    response = client.post(reverse("disclosures:query_answer", args=[query.pk]), {"answer": "有"})

    assert response.status_code == 403
    query.refresh_from_db()
    assert query.answered_at is None


def test_unanswered_queries_past_the_limit_are_flagged_to_the_supervision_committee(
    client, resident, make_person, committee, published, settings
):
    settings.TOWNHALL_QUERY_FLAG_DAYS = 7
    old = DisclosureQuery.objects.create(page=published, asked_by=resident, question="八天前的问题")
    DisclosureQuery.objects.filter(pk=old.pk).update(asked_at=timezone.now() - timedelta(days=8))
    DisclosureQuery.objects.create(page=published, asked_by=resident, question="今天的问题")
    supervisor = make_person(committee, Role.SUPERVISOR)
    give_totp(supervisor)
    client.force_login(supervisor)

    page = client.get(reverse("disclosures:review_queue")).content.decode()

    assert "八天前的问题" in page
    assert "今天的问题" not in page
