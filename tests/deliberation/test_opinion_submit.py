"""A verified resident submits an opinion: one opinion per submit, its first history
row and ledger entry, and the form that keeps what was typed."""

import uuid

import pytest
from django.urls import reverse

from deliberation.opinions.models import Category, Kind, Opinion, OpinionStatusChange, Status
from deliberation.opinions.services import opinion_submit
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import CommitteeFactory, GridFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def form_data(grid, **fields):
    return {
        "submission_key": str(uuid.uuid4()),
        "kind": Kind.OPINION,
        "title": "3栋楼道灯坏了",
        "body": "晚上老人上下楼很危险，请尽快修理。",
        "category": Category.FACILITIES,
        "grid": grid.pk,
        **fields,
    }


def submit_url(committee):
    return reverse("deliberation:opinion_submit", args=[committee.slug])


def test_resident_submits_opinion_with_history_and_ledger_entry(en, committee, grid, resident):
    en.force_login(resident)

    response = en.post(submit_url(committee), form_data(grid))

    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("deliberation:opinion_detail", args=[opinion.pk])
    assert (opinion.author, opinion.grid, opinion.status) == (resident, grid, Status.SUBMITTED)
    assert opinion.recorded_by is None
    change = OpinionStatusChange.objects.get(opinion=opinion)
    assert (change.from_status, change.to_status, change.by) == ("", Status.SUBMITTED, resident)
    entry = LedgerEntry.objects.get(kind="opinion.submitted")
    assert entry.subject == f"deliberation.opinion:{opinion.pk}"
    assert entry.actor == resident
    assert ledger_verify().ok
    page = en.get(response.url)
    assert "Your opinion is on the committee&#x27;s list." in page.content.decode()


def test_submit_form_offers_the_residents_own_grid_first(en, committee, grid, resident):
    GridFactory(committee=committee, name="甲网格")
    en.force_login(resident)

    response = en.get(submit_url(committee))

    assert response.status_code == 200
    assert response.context["form"]["grid"].value() == grid.pk


def test_double_submit_creates_one_opinion_and_lands_on_it(en, committee, grid, resident):
    en.force_login(resident)
    data = form_data(grid)

    first = en.post(submit_url(committee), data)
    second = en.post(submit_url(committee), data, follow=True)

    opinion = Opinion.objects.get()
    assert second.redirect_chain == [(first.url, 302)]
    assert "This was already sent: here it is, once." in second.content.decode()
    assert OpinionStatusChange.objects.filter(opinion=opinion).count() == 1
    assert LedgerEntry.objects.filter(kind="opinion.submitted").count() == 1


def test_the_same_submission_key_in_the_service_returns_the_first_opinion(
    committee, grid, resident
):
    key = uuid.uuid4()
    fields = dict(
        committee=committee,
        author=resident,
        grid=grid,
        kind=Kind.PROPOSAL,
        title="增设充电桩",
        body="小区电动车多，充电难。",
        category=Category.PARKING,
        submission_key=key,
    )

    first, created = opinion_submit(**fields)
    again, created_again = opinion_submit(**fields)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Opinion.objects.count() == 1


def test_form_keeps_what_was_typed_when_title_is_missing(en, committee, grid, resident):
    en.force_login(resident)

    response = en.post(submit_url(committee), form_data(grid, title=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "晚上老人上下楼很危险，请尽快修理。" in html
    assert Opinion.objects.count() == 0


def test_form_refuses_a_grid_of_another_committee(en, committee, grid, resident):
    elsewhere = GridFactory(committee=CommitteeFactory())
    en.force_login(resident)

    response = en.post(submit_url(committee), form_data(elsewhere))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Opinion.objects.count() == 0


def test_resident_of_other_committee_cannot_submit(en, make_person, committee, grid):
    other = CommitteeFactory()
    outsider = make_person(other, Role.RESIDENT, grid=GridFactory(committee=other))
    en.force_login(outsider)

    assert en.get(submit_url(committee)).status_code == 403
    assert en.post(submit_url(committee), form_data(grid)).status_code == 403
    assert Opinion.objects.count() == 0


def test_signed_out_visitor_is_sent_to_sign_in(en, committee, grid):
    response = en.post(submit_url(committee), form_data(grid))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Opinion.objects.count() == 0


def test_service_refuses_an_author_who_is_not_a_verified_resident(make_person, committee, grid):
    from django.core.exceptions import ValidationError

    grid_worker = make_person(committee, Role.GRID_WORKER, grid=grid)

    with pytest.raises(ValidationError):
        opinion_submit(
            committee=committee,
            author=grid_worker,
            grid=grid,
            kind=Kind.OPINION,
            title="t",
            body="b",
            category=Category.OTHER,
        )
    assert Opinion.objects.count() == 0
