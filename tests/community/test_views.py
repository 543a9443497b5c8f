"""The committee page, residency claims and their verification, as people see them."""

import re

import pytest
from django.urls import reverse

from townhall.accounts.models import Notification
from townhall.community.models import Membership, Residency, Role

from ..conftest import give_totp
from ..factories import GridFactory, ResidencyFactory


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_committee_page_lists_grids_and_office_holders_to_anyone(
    client, make_person, committee, grid
):
    chair = make_person(committee, Role.CHAIR, real_name="李建国")

    response = client.get(reverse("community:committee", args=[committee.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert grid.name in page
    assert chair.real_name in page


def test_residents_real_names_are_not_on_the_public_committee_page(client, resident, committee):
    response = client.get(reverse("community:committee", args=[committee.slug]))

    assert resident.real_name not in response.content.decode()


def test_person_claims_an_address_and_sees_it_awaiting_verification(
    client, make_person, committee, grid
):
    person = make_person(committee)  # signed up, no role yet
    client.force_login(person)

    response = client.post(
        reverse("community:claim"),
        {
            "real_name": "陈晓明",
            "committee": committee.pk,
            "grid": grid.pk,
            "address": "3栋2单元501",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.real_name == "陈晓明"
    claim = Residency.objects.get(person=person)
    assert claim.status == Residency.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "3栋2单元501" in page


def test_claim_with_a_grid_of_another_committee_keeps_the_typed_address(en, make_person, committee):
    person = make_person(committee)
    en.force_login(person)
    other_grid = GridFactory()

    response = en.post(
        reverse("community:claim"),
        {"committee": committee.pk, "grid": other_grid.pk, "address": "3栋2单元501"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "That grid belongs to another residents&#x27; committee." in page
    assert 'value="3栋2单元501"' in page
    assert not Residency.objects.exists()


def test_grid_worker_sees_pending_claims_in_the_queue(client, grid_worker, committee, grid):
    claim = ResidencyFactory(grid=grid)
    client.force_login(grid_worker)

    response = client.get(reverse("community:verify", args=[committee.slug]))

    assert response.status_code == 200
    assert claim.address in response.content.decode()
    assert claim.person.real_name in response.content.decode()


def test_grid_worker_approves_a_claim_and_the_person_becomes_a_resident(
    client, grid_worker, committee, grid
):
    claim = ResidencyFactory(grid=grid)
    client.force_login(grid_worker)

    response = client.post(reverse("community:approve", args=[committee.slug, claim.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Residency.Status.APPROVED
    assert claim.decided_by == grid_worker
    assert Membership.objects.filter(person=claim.person, role=Role.RESIDENT).exists()
    assert Notification.objects.filter(recipient=claim.person).count() == 1


def test_rejecting_without_a_reason_is_refused_and_the_claim_stays_pending(
    en, grid_worker, committee, grid
):
    claim = ResidencyFactory(grid=grid)
    en.force_login(grid_worker)

    response = en.post(
        reverse("community:reject", args=[committee.slug, claim.pk]), {"reason": " "}, follow=True
    )

    assert "Say why the claim is rejected" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Residency.Status.PENDING


def test_rejection_reason_reaches_the_person(client, grid_worker, committee, grid):
    claim = ResidencyFactory(grid=grid)
    client.force_login(grid_worker)

    client.post(
        reverse("community:reject", args=[committee.slug, claim.pk]), {"reason": "查无此房号"}
    )

    claim.refresh_from_db()
    assert claim.status == Residency.Status.REJECTED
    assert "查无此房号" in Notification.objects.get(recipient=claim.person).message


def test_approving_twice_says_it_was_already_decided(en, grid_worker, committee, grid):
    claim = ResidencyFactory(grid=grid)
    en.force_login(grid_worker)
    en.post(reverse("community:approve", args=[committee.slug, claim.pk]))

    response = en.post(reverse("community:approve", args=[committee.slug, claim.pk]), follow=True)

    assert "already been decided" in response.content.decode()
    assert Membership.objects.filter(person=claim.person, role=Role.RESIDENT).count() == 1


def test_resident_cannot_open_the_verification_queue(client, resident, committee):
    client.force_login(resident)

    response = client.get(reverse("community:verify", args=[committee.slug]))

    assert response.status_code == 403


def test_grid_worker_of_another_committee_cannot_approve_here(client, make_person, committee, grid):
    claim = ResidencyFactory(grid=grid)
    outsider = make_person(GridFactory().committee, Role.GRID_WORKER)
    client.force_login(outsider)

    response = client.post(reverse("community:approve", args=[committee.slug, claim.pk]))

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Residency.Status.PENDING


def test_staff_without_two_step_verification_is_sent_to_turn_it_on(client, make_person, committee):
    staff = make_person(committee, Role.STAFF)
    client.force_login(staff)

    response = client.get(reverse("community:verify", args=[committee.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_two_step_verification_can_verify(client, make_person, committee):
    staff = make_person(committee, Role.STAFF)
    give_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("community:verify", args=[committee.slug]))

    assert response.status_code == 200


def test_grid_worker_registers_an_elderly_resident_on_their_behalf(
    client, grid_worker, committee, grid
):
    client.force_login(grid_worker)

    response = client.post(
        reverse("community:register", args=[committee.slug]),
        {
            "real_name": "王秀英",
            "display_name": "",
            "phone": "",
            "grid": grid.pk,
            "address": "5栋1单元102",
            "consent_given": "on",
        },
    )

    assert response.status_code == 302
    claim = Residency.objects.get(person__real_name="王秀英")
    assert claim.status == Residency.Status.APPROVED
    assert claim.assisted_by == grid_worker
    assert not claim.person.has_usable_password()
    assert str(claim.person) == "王**"


def test_assisted_registration_without_consent_keeps_the_form(en, grid_worker, committee, grid):
    en.force_login(grid_worker)

    response = en.post(
        reverse("community:register", args=[committee.slug]),
        {"real_name": "王秀英", "grid": grid.pk, "address": "5栋1单元102"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "consent is needed" in page
    assert 'value="王秀英"' in page
    assert not Residency.objects.exists()


def test_verified_resident_sees_their_status_on_the_committee_page(en, resident, committee):
    en.force_login(resident)

    response = en.get(reverse("community:committee", args=[committee.slug]))

    assert "Verified resident" in response.content.decode()


def test_approving_a_claim_asks_first_naming_the_person_and_the_address(
    en, grid_worker, committee, grid
):
    claim = ResidencyFactory(grid=grid, address="3栋2单元501")
    en.force_login(grid_worker)

    page = en.get(reverse("community:verify", args=[committee.slug])).content.decode()

    form = re.search(r'<form[^>]*action="[^"]*/approve/"[^>]*>', page).group(0)
    assert (
        f'data-confirm="{claim.person.real_name} becomes a verified resident living at '
        "3栋2单元501, who may vote in this committee's polls and meetings. "
        'Approve the claim?"'
    ) in form
    assert "js/confirm.js" in page
