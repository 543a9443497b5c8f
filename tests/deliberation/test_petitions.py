"""Petitions to convene a deciding body (Art 26, 29): signing, the statutory shares, the
committee's obligation shown until a meeting answers it, and the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from deliberation.meetings import petition_selectors, petitions
from deliberation.meetings.models import Body, Meeting, Petition, PetitionSignature
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import CommitteeFactory, HouseholdFactory, MembershipFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def residents(make_person, committee, grid):
    def make(count):
        return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(count)]

    return make


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def start(committee, by, body=Body.ASSEMBLY, title="召开居民会议讨论停车收费"):
    return petitions.petition_start(
        committee=committee, by=by, body=body, title=title, reason="停车费上涨，需居民会议决定。"
    )


def meeting_for(petition, by):
    return Meeting.objects.create(
        committee=petition.committee,
        body=petition.body,
        title="居民会议：停车收费",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动室",
        convened_by=by,
        chair=by,
    )


def ledger_kinds(petition):
    return list(
        LedgerEntry.objects.filter(subject=f"deliberation.petition:{petition.pk}")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def messages_of(person):
    return list(Notification.objects.filter(recipient=person).values_list("message", flat=True))


# Services ------------------------------------------------------------------------------


def test_starter_signs_first_and_petition_collects_signatures(residents, committee):
    starter, neighbour = residents(30)[:2]

    petition = start(committee, starter)

    assert list(petition.signatures.values_list("person", flat=True)) == [starter.pk]
    assert petition.reached_at is None
    assert petitions.petition_sign(petition=petition, person=neighbour) is True
    assert petitions.petition_sign(petition=petition, person=neighbour) is False
    assert PetitionSignature.objects.filter(petition=petition).count() == 2
    assert ledger_kinds(petition) == ["petition.started"]


def test_tenth_of_adult_residents_obliges_the_committee(residents, committee, staff, chair):
    people = residents(20)  # 1/10 of 20: two signatures
    petition = start(committee, people[0])

    with translation.override("en"):
        petitions.petition_sign(petition=petition, person=people[1])

    petition.refresh_from_db()
    assert petition.reached_at is not None
    assert ledger_kinds(petition) == ["petition.started", "petition.reached"]
    reached = LedgerEntry.objects.get(kind="petition.reached")
    assert reached.actor == people[1]
    assert "1/10 of adult residents" in reached.payload or "1/10" in reached.payload
    for person in (people[0], people[1], staff, chair):
        # Stored in the site's language (Chinese), whatever the signer's.
        assert len(messages_of(person)) == 1
    assert messages_of(people[2]) == []
    assert ledger_verify().ok


def test_reaching_is_recorded_once(residents, committee):
    people = residents(10)  # one signature is already 1/10
    petition = start(committee, people[0])
    petitions.petition_sign(petition=petition, person=people[1])

    assert ledger_kinds(petition) == ["petition.started", "petition.reached"]


def test_households_count_distinct_households_of_signers(make_person, committee, grid):
    households = [HouseholdFactory(grid=grid) for _ in range(20)]
    people = []
    for index in range(40):  # 40 residents need 4; 20 households need 2
        person = make_person(committee)
        MembershipFactory(
            person=person,
            committee=committee,
            role=Role.RESIDENT,
            grid=grid,
            household=households[index % 2 * 5],
        )
        people.append(person)
    petition = start(committee, people[0])
    petitions.petition_sign(petition=petition, person=people[2])  # same household
    petition.refresh_from_db()
    assert petition.reached_at is None

    petitions.petition_sign(petition=petition, person=people[1])  # another household

    petition.refresh_from_db()
    support = petition_selectors.petition_support(petition)
    assert (support.household_signers, support.resident_signers) == (2, 3)
    assert petition.reached_at is not None


def test_representatives_petition_counts_only_representatives(make_person, residents, committee):
    people = residents(10)
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(10)]
    petition = start(committee, representatives[0], body=Body.REPRESENTATIVES)
    assert petition.signatures.get().as_representative
    assert petition.reached_at is None  # 1 of 10; 1/5 needs 2

    with translation.override("en"), pytest.raises(ValidationError) as error:
        petitions.petition_sign(petition=petition, person=people[0])
    assert "Only resident representatives" in error.value.messages[0]

    petitions.petition_sign(petition=petition, person=representatives[1])
    petition.refresh_from_db()
    assert petition.reached_at is not None


def test_residents_cannot_ask_for_the_representatives_assembly(residents, committee):
    with pytest.raises(ValidationError):
        start(committee, residents(1)[0], body=Body.REPRESENTATIVES)
    assert not Petition.objects.exists()


def test_third_of_representatives_obliges_the_residents_assembly(make_person, residents, committee):
    residents(100)
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(6)]
    petition = start(committee, representatives[0])
    assert petition.reached_at is None

    petitions.petition_sign(petition=petition, person=representatives[1])

    petition.refresh_from_db()
    assert petition.reached_at is not None


def test_outsiders_cannot_start_or_sign(make_person, residents, committee):
    petition = start(committee, residents(30)[0])
    outsider = make_person(CommitteeFactory(), Role.RESIDENT)
    grid_worker = make_person(committee, Role.GRID_WORKER)

    for person in (outsider, grid_worker):
        with pytest.raises(PermissionDenied):
            petitions.petition_sign(petition=petition, person=person)
        with pytest.raises(PermissionDenied):
            start(committee, person)
    assert petition.signatures.count() == 1


def test_support_is_counted_in_a_fixed_number_of_queries(residents, committee):
    people = residents(40)
    few = [start(committee, people[0])]
    many = [start(committee, person) for person in people[:6]]
    for petition in many:
        for person in people[10:15]:
            petitions.petition_sign(petition=petition, person=person)

    with CaptureQueriesContext(connection) as one:
        petition_selectors.petition_supports(committee, few)
    with CaptureQueriesContext(connection) as six:
        petition_selectors.petition_supports(committee, many)

    assert len(one) == len(six) == 3


def test_meeting_answers_a_due_petition(residents, committee, staff):
    people = residents(10)
    petition = start(committee, people[0])
    petitions.petition_sign(petition=petition, person=people[1])
    Notification.objects.all().delete()

    meeting = meeting_for(petition, staff)
    with translation.override("en"):
        petitions.petition_answer(petition=petition, meeting=meeting)

    petition.refresh_from_db()
    assert petition.answered_by == meeting
    assert ledger_kinds(petition)[-1] == "petition.answered"
    assert len(messages_of(people[0])) == len(messages_of(people[1])) == 1
    assert not petition_selectors.petitions_due(committee).exists()
    with pytest.raises(ValidationError):
        petitions.petition_sign(petition=petition, person=people[2])
    with pytest.raises(ValidationError):
        petitions.petition_answer(petition=petition, meeting=meeting)
    assert ledger_verify().ok


def test_meeting_of_another_body_does_not_answer(residents, committee, staff):
    petition = start(committee, residents(10)[0])
    meeting = meeting_for(petition, staff)
    meeting.body = Body.REPRESENTATIVES

    with pytest.raises(ValidationError):
        petitions.petition_answer(petition=petition, meeting=meeting)
    petition.refresh_from_db()
    assert petition.answered_by is None


# Pages ---------------------------------------------------------------------------------


def test_list_is_public_and_shows_open_due_and_answered(
    english, residents, committee, staff, django_assert_max_num_queries
):
    people = residents(30)
    open_one = start(committee, people[0], title="讨论垃圾分类")
    due = start(committee, people[1], title="讨论停车收费")
    for person in people[2:4]:
        petitions.petition_sign(petition=due, person=person)
    answered = start(committee, people[5], title="讨论电梯加装")
    for person in people[6:8]:
        petitions.petition_sign(petition=answered, person=person)
    answered = petitions.petition_answer(petition=answered, meeting=meeting_for(answered, staff))

    with django_assert_max_num_queries(12):
        response = english.get(reverse("deliberation:petition_list", args=[committee.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert open_one.title in page and due.title in page and answered.title in page
    assert page.count("The committee must convene this meeting") == 1
    assert reverse("deliberation:meeting_detail", args=[answered.answered_by_id]) in page
    assert "1 of 3 adult residents" in page


def test_resident_starts_a_petition(english, residents, committee):
    resident = residents(30)[0]
    english.force_login(resident)

    response = english.post(
        reverse("deliberation:petition_new", args=[committee.slug]),
        {"body": Body.ASSEMBLY, "title": "讨论停车收费", "reason": "停车费上涨。"},
    )

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deliberation:petition_detail", args=[petition.pk])
    assert petition.created_by == resident
    assert "Your petition is published" in english.get(response["Location"]).content.decode()


def test_bad_petition_form_keeps_what_was_typed(english, residents, committee):
    english.force_login(residents(1)[0])

    response = english.post(
        reverse("deliberation:petition_new", args=[committee.slug]),
        {"body": Body.REPRESENTATIVES, "title": "讨论停车收费", "reason": "停车费上涨。"},
    )

    assert response.status_code == 200
    assert "Only resident representatives" in response.content.decode()
    assert "讨论停车收费" in response.content.decode()
    assert not Petition.objects.exists()


def test_grid_worker_cannot_open_the_petition_form(english, grid_worker, committee):
    english.force_login(grid_worker)

    response = english.get(reverse("deliberation:petition_new", args=[committee.slug]))

    assert response.status_code == 403


def test_due_petition_page_tells_the_committee_to_convene(english, residents, committee, staff):
    people = residents(10)
    petition = start(committee, people[0])
    english.force_login(staff)

    page = english.get(reverse("deliberation:petition_detail", args=[petition.pk])).content
    page = page.decode()

    assert "The committee must convene this meeting" in page
    convene = reverse("deliberation:meeting_new", args=[committee.slug])
    assert f"{convene}?petition={petition.pk}" in page


def test_resident_signs_from_the_page(english, residents, committee):
    people = residents(30)
    petition = start(committee, people[0])
    english.force_login(people[1])
    url = reverse("deliberation:petition_detail", args=[petition.pk])
    assert "Sign this petition" in english.get(url).content.decode()

    response = english.post(reverse("deliberation:petition_sign", args=[petition.pk]))

    assert response.status_code == 302 and response["Location"] == url
    page = english.get(url).content.decode()
    assert "You signed this petition" in page
    assert "2 signatures" in page
    again = english.post(reverse("deliberation:petition_sign", args=[petition.pk]), follow=True)
    assert "You had already signed this petition." in again.content.decode()


def test_signing_an_answered_petition_shows_why_not(english, residents, committee, staff):
    people = residents(10)
    petition = start(committee, people[0])
    petitions.petition_answer(petition=petition, meeting=meeting_for(petition, staff))
    english.force_login(people[1])

    response = english.post(reverse("deliberation:petition_sign", args=[petition.pk]), follow=True)

    assert "A meeting has already been convened" in response.content.decode()
    assert petition.signatures.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_to_sign(english, residents, committee):
    petition = start(committee, residents(10)[0])

    response = english.post(reverse("deliberation:petition_sign", args=[petition.pk]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
