"""Community writes: the law enforced on roles and relatives, residency verification,
assisted registration, and what the person is told."""

import asyncio
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone, translation

from tests.factories import (
    CloseRelativeFactory,
    CommitteeFactory,
    GridFactory,
    MembershipFactory,
    ResidencyFactory,
    UserFactory,
)
from townhall.accounts.events import inbox_group
from townhall.accounts.models import ConsentRecord, Notification, User, public_name
from townhall.community import services
from townhall.community.models import (
    CloseRelative,
    Household,
    Membership,
    Residency,
    Role,
)
from townhall.community.permissions import Action, check


@pytest.fixture(autouse=True)
def _english_and_fast_hashing(settings):
    # The factories set a password; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def grant_through_service(person, committee, role):
    return services.membership_grant(person=person, committee=committee, role=role)


def grant_through_admin_form(person, committee, role):
    # The admin's ModelForm validates the instance with full_clean() before saving.
    membership = Membership(person=person, committee=committee, role=role)
    membership.full_clean()
    membership.save()
    return membership


GRANT_PATHS = [
    pytest.param(grant_through_service, id="membership_grant"),
    pytest.param(grant_through_admin_form, id="admin-full_clean"),
]


def refusal_message(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def fill_committee(committee, members: int):
    return [MembershipFactory(committee=committee, role=Role.MEMBER).person for _ in range(members)]


# --- Art 36: separation of the residents' committee and its supervisors ---


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
@pytest.mark.parametrize("committee_role", [Role.MEMBER, Role.CHAIR])
def test_committee_member_cannot_join_supervision_committee(
    grant, committee_role, make_person, committee
):
    member = make_person(committee, committee_role)

    with pytest.raises(ValidationError) as excinfo:
        grant(member, committee, Role.SUPERVISOR)

    assert "committee member cannot sit on the supervision committee" in refusal_message(excinfo)
    assert not Membership.objects.filter(person=member, role=Role.SUPERVISOR).exists()


@pytest.mark.django_db
def test_refusal_has_a_message_in_the_default_language(make_person, committee):
    member = make_person(committee, Role.MEMBER)

    with translation.override(settings.LANGUAGE_CODE), pytest.raises(ValidationError) as excinfo:
        grant_through_admin_form(member, committee, Role.SUPERVISOR)

    assert refusal_message(excinfo).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
@pytest.mark.parametrize(
    "recorded_from", ["member-side", "candidate-side"], ids=["member-records", "candidate-records"]
)
def test_close_relative_of_committee_member_cannot_supervise(
    grant, recorded_from, make_person, committee
):
    member = make_person(committee, Role.MEMBER)
    candidate = make_person(committee, Role.RESIDENT)
    if recorded_from == "member-side":
        CloseRelativeFactory(person=member, relative=candidate)
    else:
        CloseRelativeFactory(person=candidate, relative=member)

    with pytest.raises(ValidationError) as excinfo:
        grant(candidate, committee, Role.SUPERVISOR)

    assert "close relative of a residents' committee member" in refusal_message(excinfo)
    assert not Membership.objects.filter(person=candidate, role=Role.SUPERVISOR).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
def test_unrelated_resident_may_supervise(grant, make_person, committee):
    make_person(committee, Role.MEMBER)
    candidate = make_person(committee, Role.RESIDENT)

    grant(candidate, committee, Role.SUPERVISOR)

    assert Membership.objects.current().filter(person=candidate, role=Role.SUPERVISOR).exists()


@pytest.mark.django_db
def test_former_committee_member_may_supervise(committee):
    today = timezone.localdate()
    former = MembershipFactory(
        committee=committee,
        role=Role.MEMBER,
        start=today - timedelta(days=6 * 365),
        end=today - timedelta(days=1),
    ).person

    grant_through_service(former, committee, Role.SUPERVISOR)

    assert Membership.objects.current().filter(person=former, role=Role.SUPERVISOR).exists()


@pytest.mark.django_db
def test_member_of_another_committee_may_supervise_here(make_person, committee):
    person = make_person(CommitteeFactory(), Role.MEMBER)

    grant_through_service(person, committee, Role.SUPERVISOR)

    assert Membership.objects.filter(person=person, committee=committee).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
@pytest.mark.parametrize("committee_role", [Role.MEMBER, Role.CHAIR])
def test_supervisor_cannot_join_residents_committee(grant, committee_role, make_person, committee):
    supervisor = make_person(committee, Role.SUPERVISOR)

    with pytest.raises(ValidationError) as excinfo:
        grant(supervisor, committee, committee_role)

    assert "supervision committee member cannot also be" in refusal_message(excinfo)
    assert not Membership.objects.filter(person=supervisor, role=committee_role).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
def test_close_relative_of_supervisor_cannot_join_residents_committee(
    grant, make_person, committee
):
    supervisor = make_person(committee, Role.SUPERVISOR)
    candidate = make_person(committee, Role.RESIDENT)
    CloseRelativeFactory(person=supervisor, relative=candidate)

    with pytest.raises(ValidationError) as excinfo:
        grant(candidate, committee, Role.MEMBER)

    assert "close relative sits on the supervision committee" in refusal_message(excinfo)


# --- Art 17: at most nine members ---


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
def test_ninth_member_is_accepted(grant, committee):
    fill_committee(committee, 8)

    grant(UserFactory(), committee, Role.MEMBER)

    assert Membership.objects.current().filter(committee=committee, role=Role.MEMBER).count() == 9


@pytest.mark.django_db
@pytest.mark.parametrize("grant", GRANT_PATHS)
@pytest.mark.parametrize("committee_role", [Role.MEMBER, Role.CHAIR])
def test_tenth_member_is_refused(grant, committee_role, committee):
    fill_committee(committee, 9)
    newcomer = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        grant(newcomer, committee, committee_role)

    assert "at most 9 members" in refusal_message(excinfo)
    assert not Membership.objects.filter(person=newcomer).exists()


@pytest.mark.django_db
def test_member_whose_term_ended_leaves_a_seat_free(committee):
    fill_committee(committee, 8)
    today = timezone.localdate()
    MembershipFactory(
        committee=committee,
        role=Role.MEMBER,
        start=today - timedelta(days=365),
        end=today - timedelta(days=1),
    )

    grant_through_service(UserFactory(), committee, Role.MEMBER)

    assert Membership.objects.current().filter(committee=committee).count() == 9


@pytest.mark.django_db
def test_one_of_nine_members_can_be_made_chair(committee):
    members = fill_committee(committee, 9)

    grant_through_service(members[0], committee, Role.CHAIR)

    assert Membership.objects.current().filter(person=members[0], role=Role.CHAIR).exists()


@pytest.mark.django_db
def test_member_of_a_full_committee_can_have_the_term_end_recorded(committee):
    fill_committee(committee, 8)
    membership = MembershipFactory(committee=committee, role=Role.MEMBER)
    membership.end = timezone.localdate() + timedelta(days=30)

    membership.full_clean()
    membership.save()

    membership.refresh_from_db()
    assert membership.end == timezone.localdate() + timedelta(days=30)


# --- Recording close relatives ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "member_is_person", [True, False], ids=["member-then-supervisor", "supervisor-then-member"]
)
def test_close_relatives_cannot_be_recorded_between_member_and_supervisor(
    member_is_person, make_person, committee
):
    member = make_person(committee, Role.MEMBER)
    supervisor = make_person(committee, Role.SUPERVISOR)
    person, relative = (member, supervisor) if member_is_person else (supervisor, member)
    link = CloseRelative(person=person, relative=relative, relation="sibling")

    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()

    assert "close relatives cannot hold both" in refusal_message(excinfo)


@pytest.mark.django_db
def test_close_relatives_may_be_recorded_between_member_and_resident(make_person, committee):
    member = make_person(committee, Role.CHAIR)
    resident = make_person(committee, Role.RESIDENT)
    link = CloseRelative(person=member, relative=resident, relation="child")

    link.full_clean()
    link.save()

    assert CloseRelative.objects.filter(person=member, relative=resident).exists()


@pytest.mark.django_db
def test_close_relatives_may_hold_office_in_different_committees(make_person, committee):
    member = make_person(committee, Role.MEMBER)
    supervisor_elsewhere = make_person(CommitteeFactory(), Role.SUPERVISOR)
    link = CloseRelative(person=member, relative=supervisor_elsewhere, relation="spouse")

    link.full_clean()


# --- Residency: claim, verification, and what the person is told ---


@pytest.mark.django_db
def test_approved_claim_makes_a_resident_at_that_address(grid_worker, committee, grid):
    person = UserFactory(email="wang@example.com")
    residency = services.residency_claim(
        person=person, committee=committee, grid=grid, address="  3栋2单元501 "
    )
    assert not check(person, Action.TAKE_PART, committee)

    services.residency_approve(residency=residency, by=grid_worker)

    residency.refresh_from_db()
    assert residency.status == Residency.Status.APPROVED
    assert residency.decided_by == grid_worker
    assert residency.decided_at is not None
    membership = Membership.objects.current().get(person=person, committee=committee)
    assert membership.role == Role.RESIDENT
    assert membership.grid == grid
    assert membership.household == Household.objects.get(grid=grid, address="3栋2单元501")
    fresh = User.objects.get(pk=person.pk)
    assert check(fresh, Action.TAKE_PART, committee)


@pytest.mark.django_db
def test_neighbours_at_the_same_address_share_one_household(grid_worker, committee, grid):
    for person in (UserFactory(), UserFactory()):
        residency = services.residency_claim(
            person=person, committee=committee, grid=grid, address="5栋1单元302"
        )
        services.residency_approve(residency=residency, by=grid_worker)

    household = Household.objects.get(grid=grid, address="5栋1单元302")
    assert household.memberships.count() == 2


@pytest.mark.django_db
def test_approval_notifies_the_person_in_inbox_and_by_email(
    grid_worker, committee, grid, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="wang@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    residency = ResidencyFactory(person=person, grid=grid, address="3栋2单元501")

    with django_capture_on_commit_callbacks(execute=True):
        services.residency_approve(residency=residency, by=grid_worker)

    note = Notification.objects.get(recipient=person)
    assert committee.name in note.message
    assert "3栋2单元501" in note.message
    assert note.url == f"/committees/{committee.slug}/"
    assert [m.to for m in mailoutbox] == [["wang@example.com"]]
    assert mailoutbox[0].body == note.message


@pytest.mark.django_db
def test_approval_is_not_emailed_to_an_unverified_address(
    grid_worker, grid, mailoutbox, django_capture_on_commit_callbacks
):
    # The message carries the home address; an unverified email may be a stranger's.
    person = UserFactory(email="typo@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    residency = ResidencyFactory(person=person, grid=grid)

    with django_capture_on_commit_callbacks(execute=True):
        services.residency_approve(residency=residency, by=grid_worker)

    assert Notification.objects.filter(recipient=person).count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_approval_sends_no_email_to_a_person_without_one(grid_worker, grid, mailoutbox):
    person = UserFactory(email="")
    residency = ResidencyFactory(person=person, grid=grid)

    services.residency_approve(residency=residency, by=grid_worker)

    assert Notification.objects.filter(recipient=person).count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("approve", "approve", id="approve-twice"),
        pytest.param("approve", "reject", id="reject-after-approval"),
        pytest.param("reject", "approve", id="approve-after-rejection"),
        pytest.param("reject", "reject", id="reject-twice"),
    ],
)
def test_claim_cannot_be_decided_twice(first, second, grid_worker, grid):
    residency = ResidencyFactory(grid=grid)

    def decide(how):
        if how == "approve":
            services.residency_approve(residency=residency, by=grid_worker)
        else:
            services.residency_reject(residency=residency, by=grid_worker, reason="无此住址")

    decide(first)
    with pytest.raises(ValidationError) as excinfo:
        decide(second)

    assert "already been decided" in refusal_message(excinfo)
    residency.refresh_from_db()
    assert residency.status == ("approved" if first == "approve" else "rejected")
    assert Notification.objects.filter(recipient=residency.person).count() == 1
    expected_memberships = 1 if first == "approve" else 0
    assert Membership.objects.filter(person=residency.person).count() == expected_memberships


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_rejection_needs_a_reason(reason, grid_worker, grid):
    residency = ResidencyFactory(grid=grid)

    with pytest.raises(ValidationError) as excinfo:
        services.residency_reject(residency=residency, by=grid_worker, reason=reason)

    assert "Say why the claim is rejected" in refusal_message(excinfo)
    residency.refresh_from_db()
    assert residency.status == Residency.Status.PENDING
    assert not Notification.objects.filter(recipient=residency.person).exists()


@pytest.mark.django_db
def test_rejection_tells_the_person_why(
    grid_worker, committee, grid, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="li@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    residency = ResidencyFactory(person=person, grid=grid)

    with django_capture_on_commit_callbacks(execute=True):
        services.residency_reject(residency=residency, by=grid_worker, reason=" 门牌号不存在 ")

    residency.refresh_from_db()
    assert residency.status == Residency.Status.REJECTED
    assert residency.reason == "门牌号不存在"
    assert residency.decided_by == grid_worker
    note = Notification.objects.get(recipient=person)
    assert "门牌号不存在" in note.message
    assert committee.name in note.message
    assert "门牌号不存在" in mailoutbox[0].body
    assert not Membership.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_rejected_person_may_claim_again(grid_worker, committee, grid):
    residency = ResidencyFactory(grid=grid)
    services.residency_reject(residency=residency, by=grid_worker, reason="地址不全")

    again = services.residency_claim(
        person=residency.person, committee=committee, grid=grid, address="3栋2单元501"
    )

    assert again.status == Residency.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "approved"])
def test_second_live_claim_to_the_same_committee_is_refused(status, committee, grid):
    first = ResidencyFactory(grid=grid, status=status)

    with pytest.raises(ValidationError) as excinfo:
        services.residency_claim(
            person=first.person, committee=committee, grid=grid, address="9栋9单元909"
        )

    assert "already have a claim" in refusal_message(excinfo)
    assert Residency.objects.filter(person=first.person).count() == 1


@pytest.mark.django_db
def test_claims_with_two_committees_are_both_accepted(grid):
    other_grid = GridFactory()
    person = UserFactory()

    services.residency_claim(person=person, committee=grid.committee, grid=grid, address="1栋")
    services.residency_claim(
        person=person, committee=other_grid.committee, grid=other_grid, address="2栋"
    )

    assert Residency.objects.filter(person=person, status="pending").count() == 2


@pytest.mark.django_db
def test_claim_with_a_grid_of_another_committee_is_refused(committee):
    foreign_grid = GridFactory()
    person = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        services.residency_claim(
            person=person, committee=committee, grid=foreign_grid, address="3栋2单元501"
        )

    assert "grid belongs to another residents' committee" in refusal_message(excinfo)
    assert not Residency.objects.filter(person=person).exists()


@pytest.fixture
async def close_worker_thread_connections():
    """database_sync_to_async runs the ORM in a worker thread whose connection would
    outlive the test and block dropping the test database."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_worker_thread_connections")
async def test_inbox_hears_the_unread_count_after_approval():
    residency = await database_sync_to_async(ResidencyFactory)()
    worker = await database_sync_to_async(UserFactory)()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(inbox_group(residency.person_id), channel)

    await database_sync_to_async(services.residency_approve)(residency=residency, by=worker)

    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    assert message["type"] == "inbox.unread"
    assert message["unread"] == 1
    await layer.group_discard(inbox_group(residency.person_id), channel)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_worker_thread_connections")
async def test_inbox_hears_nothing_when_the_approval_is_refused():
    residency = await database_sync_to_async(ResidencyFactory)(status="approved")
    worker = await database_sync_to_async(UserFactory)()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(inbox_group(residency.person_id), channel)

    with pytest.raises(ValidationError):
        await database_sync_to_async(services.residency_approve)(residency=residency, by=worker)

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=0.2)
    await layer.group_discard(inbox_group(residency.person_id), channel)


# --- Assisted registration by a grid worker ---


def register_wang(grid_worker, committee, grid, **overrides):
    fields = {
        "by": grid_worker,
        "committee": committee,
        "grid": grid,
        "address": "7栋1单元101",
        "real_name": " 王秀英 ",
        "phone": "+8613812345678",
    }
    fields.update(overrides)
    return services.resident_register_assisted(**fields)


@pytest.mark.django_db
def test_assisted_registration_creates_a_verified_resident(grid_worker, committee, grid):
    person = register_wang(grid_worker, committee, grid)

    person = User.objects.get(pk=person.pk)
    assert person.real_name == "王秀英"
    assert person.phone == "+8613812345678"
    assert not person.has_usable_password()
    residency = Residency.objects.get(person=person)
    assert residency.status == Residency.Status.APPROVED
    assert residency.assisted_by == grid_worker
    assert residency.decided_by == grid_worker
    assert check(person, Action.TAKE_PART, committee)
    assert Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_assisted_registration_records_consent(grid_worker, committee, grid, settings):
    person = register_wang(grid_worker, committee, grid)

    consent = ConsentRecord.objects.get(user=person)
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION


@pytest.mark.django_db
def test_assisted_resident_without_display_name_is_shown_by_surname(grid_worker, committee, grid):
    person = register_wang(grid_worker, committee, grid, display_name="")

    assert public_name(person) == "王**"
    assert str(person) == "王**"


@pytest.mark.django_db
def test_assisted_resident_with_display_name_is_shown_by_it(grid_worker, committee, grid):
    person = register_wang(grid_worker, committee, grid, display_name=" 王阿姨 ")

    assert public_name(person) == "王阿姨"


@pytest.mark.django_db
def test_two_assisted_registrations_make_two_people(grid_worker, committee, grid):
    first = register_wang(grid_worker, committee, grid, phone=None)
    second = register_wang(grid_worker, committee, grid, phone=None, real_name="李建国")

    assert first.pk != second.pk
    assert first.username != second.username


@pytest.mark.django_db
def test_failed_assisted_registration_leaves_no_trace(grid_worker, committee):
    foreign_grid = GridFactory()
    people_before = User.objects.count()

    with pytest.raises(ValidationError):
        register_wang(grid_worker, committee, foreign_grid)

    assert User.objects.count() == people_before
    assert not ConsentRecord.objects.exists()
