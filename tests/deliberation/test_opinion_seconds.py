"""Seconds (附议): once per resident, refused with a reason where they make no sense, and
the threshold that flags an opinion to the committee."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from deliberation.opinions.models import Second, Status
from deliberation.opinions.services import opinion_second
from tests.deliberation.factories import OpinionFactory
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import CommitteeFactory, GridFactory, HouseholdFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def households(grid):
    """Twenty households: 1/10 of them, two seconds, flag an opinion here."""
    return [HouseholdFactory(grid=grid) for _ in range(20)]


@pytest.fixture
def neighbour(make_person, committee, grid):
    return make_person(committee, Role.RESIDENT, grid=grid)


def second_url(opinion):
    return reverse("deliberation:opinion_second", args=[opinion.pk])


def test_resident_seconds_an_opinion_once(en, opinion, neighbour, households):
    en.force_login(neighbour)

    first = en.post(second_url(opinion), follow=True)
    again = en.post(second_url(opinion), follow=True)

    opinion.refresh_from_db()
    assert opinion.seconds_count == 1
    assert Second.objects.filter(opinion=opinion, person=neighbour).count() == 1
    assert "You seconded this opinion." in first.content.decode()
    assert "You had already seconded this opinion." in again.content.decode()
    assert "You seconded this" in again.content.decode()
    assert first.redirect_chain[-1][0] == reverse("deliberation:opinion_detail", args=[opinion.pk])


def test_detail_shows_progress_towards_the_threshold(en, opinion, neighbour, households):
    en.force_login(neighbour)

    html = en.get(reverse("deliberation:opinion_detail", args=[opinion.pk])).content.decode()

    assert "0 of the 2 supporters (附议) needed to flag it to the committee" in html
    assert "Second this (附议)" in html


def test_reaching_the_threshold_flags_once_and_tells_the_committee(
    en, make_person, committee, grid, opinion, staff, chair, households
):
    member = make_person(committee, Role.MEMBER, mfa=True)
    seconders = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]

    assert opinion_second(opinion=opinion, person=seconders[0]) is True
    opinion.refresh_from_db()
    assert opinion.flagged_at is None
    opinion_second(opinion=opinion, person=seconders[1])
    opinion.refresh_from_db()
    flagged_at = opinion.flagged_at
    assert flagged_at is not None
    opinion_second(opinion=opinion, person=seconders[2])

    opinion.refresh_from_db()
    assert opinion.seconds_count == 3
    assert opinion.flagged_at == flagged_at
    assert LedgerEntry.objects.filter(kind="opinion.flagged").count() == 1
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {staff.pk, chair.pk, member.pk}
    assert ledger_verify().ok
    en.force_login(seconders[0])
    html = en.get(reverse("deliberation:opinion_detail", args=[opinion.pk])).content.decode()
    assert "Flagged to the committee" in html


def test_threshold_is_the_fixed_number_when_lower_than_the_household_share(
    settings, grid, opinion, make_person, committee
):
    settings.TOWNHALL_SECONDS_THRESHOLD = 1
    for _ in range(50):
        HouseholdFactory(grid=grid)

    opinion_second(opinion=opinion, person=make_person(committee, Role.RESIDENT, grid=grid))

    opinion.refresh_from_db()
    assert opinion.flagged_at is not None


def test_author_cannot_second_own_opinion(opinion, resident):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        opinion_second(opinion=opinion, person=resident)
    assert error.value.messages == ["You cannot second your own opinion."]
    assert Second.objects.count() == 0


def test_hidden_opinion_cannot_be_seconded(en, opinion, neighbour):
    opinion.hidden_at = timezone.now()
    opinion.hidden_reason = "含有他人电话号码"
    opinion.save()
    en.force_login(neighbour)

    response = en.post(second_url(opinion), follow=True)

    assert "This opinion is hidden by moderators and cannot be seconded." in (
        response.content.decode()
    )
    assert Second.objects.count() == 0


def test_answered_opinion_takes_no_more_seconds(opinion, neighbour):
    opinion.status = Status.ANSWERED
    opinion.reply = "已修好。"
    opinion.save()

    with pytest.raises(ValidationError):
        opinion_second(opinion=opinion, person=neighbour)
    assert Second.objects.count() == 0


def test_opinion_under_consideration_can_still_be_seconded(opinion, neighbour):
    opinion.status = Status.CONSIDERING
    opinion.save()

    assert opinion_second(opinion=opinion, person=neighbour) is True


def test_signed_out_visitor_cannot_second(en, opinion):
    response = en.post(second_url(opinion))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Second.objects.count() == 0


def test_resident_of_other_committee_cannot_second(en, make_person, opinion):
    other = CommitteeFactory()
    outsider = make_person(other, Role.RESIDENT, grid=GridFactory(committee=other))
    en.force_login(outsider)

    response = en.post(second_url(opinion))

    assert response.status_code == 403
    assert Second.objects.count() == 0


def test_seconding_needs_a_post(en, opinion, neighbour):
    en.force_login(neighbour)

    assert en.get(second_url(opinion)).status_code == 405


def test_second_button_is_offered_to_residents_only(en, grid_worker, opinion):
    en.force_login(grid_worker)

    html = en.get(reverse("deliberation:opinion_detail", args=[opinion.pk])).content.decode()

    assert "Second this (附议)" not in html


def test_other_opinions_are_counted_apart(opinion, committee, grid, neighbour):
    other = OpinionFactory(committee=committee, grid=grid)

    opinion_second(opinion=opinion, person=neighbour)
    opinion_second(opinion=other, person=neighbour)

    assert Second.objects.filter(person=neighbour).count() == 2
