"""The law's rules as staff meet them in the Django admin."""

import pytest
from django.urls import reverse

from townhall.community.models import Membership, Role

from ..factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    return client


def test_admin_warns_when_the_committee_is_short_and_has_no_woman(admin_client, committee):
    for _ in range(3):
        MembershipFactory(committee=committee, role=Role.MEMBER, person__gender="M")

    response = admin_client.get(
        reverse("admin:community_residentscommittee_change", args=[committee.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The committee has 3 members; the law asks for at least 5." in page


def test_admin_warns_when_no_member_is_a_woman(admin_client, committee):
    for _ in range(5):
        MembershipFactory(committee=committee, role=Role.MEMBER, person__gender="M")

    response = admin_client.get(
        reverse("admin:community_residentscommittee_change", args=[committee.pk])
    )

    assert "The committee has no woman member; the law requires one." in response.content.decode()


def test_admin_refuses_to_make_a_committee_member_a_supervisor(admin_client, committee):
    member = MembershipFactory(committee=committee, role=Role.MEMBER).person

    response = admin_client.post(
        reverse("admin:community_membership_add"),
        {
            "person": member.pk,
            "committee": committee.pk,
            "role": Role.SUPERVISOR,
            "start": "2026-01-01",
        },
    )

    assert response.status_code == 200
    assert (
        "A residents&#x27; committee member cannot sit on the supervision committee."
        in response.content.decode()
    )
    assert not Membership.objects.filter(person=member, role=Role.SUPERVISOR).exists()
