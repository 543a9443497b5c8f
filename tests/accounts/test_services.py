"""A person's rights over their data: export everything held about them, delete the account."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone, translation

from tests.conftest import give_totp
from tests.factories import MembershipFactory, ResidencyFactory, UserFactory
from townhall.accounts.models import ConsentRecord, Notification, User, public_name
from townhall.accounts.services import (
    consent_record,
    notification_send,
    user_data_export,
    user_delete,
)
from townhall.community import services as community_services
from townhall.community.models import Membership, Residency, Role

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The factories set a password; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def wang(committee, grid, grid_worker):
    """王秀英: verified resident of the committee, a representative, with an inbox."""
    person = UserFactory(
        real_name="王秀英",
        display_name="王阿姨",
        phone="+8613812345678",
        email="wang@example.com",
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    consent_record(user=person, version="2026-01")
    residency = ResidencyFactory(person=person, grid=grid, address="3栋2单元501")
    community_services.residency_approve(residency=residency, by=grid_worker)
    MembershipFactory(person=person, committee=committee, role=Role.REPRESENTATIVE)
    notification_send(recipient=person, message="您的意见已收到")
    return person


@pytest.fixture
def neighbour(committee, grid, grid_worker):
    """Someone else in the same committee, whose data must never show in wang's export."""
    person = UserFactory(
        real_name="李建国", display_name="老李", phone="+8613900000001", email="li@example.com"
    )
    consent_record(user=person, version="2025-07")
    residency = ResidencyFactory(person=person, grid=grid, address="9栋1单元909")
    community_services.residency_reject(residency=residency, by=grid_worker, reason="李家地址不符")
    notification_send(recipient=person, message="李先生的私信")
    return person


# --- Export (PIPL right of access) ---


@pytest.mark.django_db
def test_export_holds_the_persons_account_details(wang):
    data = json.loads(user_data_export(user=wang))

    assert data["account"]["real_name"] == "王秀英"
    assert data["account"]["display_name"] == "王阿姨"
    assert data["account"]["phone"] == "+8613812345678"
    assert data["account"]["email"] == "wang@example.com"


@pytest.mark.django_db
def test_export_holds_consents_residencies_roles_and_notifications(wang, committee, grid):
    data = json.loads(user_data_export(user=wang))

    assert [c["notice_version"] for c in data["consents"]] == ["2026-01"]
    assert data["residencies"] == [
        {
            "committee": committee.name,
            "grid": grid.name,
            "address": "3栋2单元501",
            "status": "approved",
            "reason": "",
            "claimed_at": data["residencies"][0]["claimed_at"],
            "decided_at": data["residencies"][0]["decided_at"],
            "assisted": False,
        }
    ]
    assert data["residencies"][0]["decided_at"] is not None
    assert sorted(r["role"] for r in data["roles"]) == ["representative", "resident"]
    assert {r["committee"] for r in data["roles"]} == {committee.name}
    messages = [n["message"] for n in data["notifications"]]
    assert "您的意见已收到" in messages
    assert any("3栋2单元501" in m for m in messages)


@pytest.mark.django_db
def test_export_keeps_chinese_readable(wang):
    assert "王秀英" in user_data_export(user=wang)


@pytest.mark.django_db
def test_export_holds_no_one_elses_data(wang, neighbour, grid_worker):
    exported = user_data_export(user=wang)

    for foreign in [
        "李建国",
        "老李",
        "+8613900000001",
        "li@example.com",
        "9栋1单元909",
        "李家地址不符",
        "李先生的私信",
        "2025-07",
        grid_worker.real_name,
        grid_worker.phone,
    ]:
        assert foreign not in exported


@pytest.mark.django_db
def test_export_of_assisted_resident_says_so(grid_worker, committee, grid):
    person = community_services.resident_register_assisted(
        by=grid_worker, committee=committee, grid=grid, address="1栋", real_name="赵桂兰"
    )

    data = json.loads(user_data_export(user=person))

    assert data["residencies"][0]["assisted"] is True
    assert len(data["consents"]) == 1


# --- Deletion: erase the person, keep what they contributed ---


@pytest.mark.django_db
def test_deleted_person_row_stays_for_the_records(wang):
    membership_ids = set(wang.memberships.values_list("pk", flat=True))
    residency_ids = set(wang.residencies.values_list("pk", flat=True))

    user_delete(user=wang)

    assert User.objects.filter(pk=wang.pk).exists()
    assert set(Membership.objects.filter(person_id=wang.pk).values_list("pk", flat=True)) == (
        membership_ids
    )
    assert set(Residency.objects.filter(person_id=wang.pk).values_list("pk", flat=True)) == (
        residency_ids
    )


@pytest.mark.django_db
def test_deletion_erases_name_phone_and_email(wang):
    user_delete(user=wang)

    person = User.objects.get(pk=wang.pk)
    assert person.real_name == ""
    assert person.display_name == ""
    assert person.phone is None
    assert person.email == ""
    assert "wang" not in person.username
    assert not EmailAddress.objects.filter(email="wang@example.com").exists()
    assert not Residency.objects.filter(person=person).exclude(address="").exists()
    assert "王秀英" not in user_data_export(user=person)


@pytest.mark.django_db
def test_deletion_deactivates_and_removes_second_factor(wang):
    give_totp(wang)

    user_delete(user=wang)

    person = User.objects.get(pk=wang.pk)
    assert not person.is_active
    assert not person.has_usable_password()
    assert not Authenticator.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_deletion_clears_the_inbox(wang):
    user_delete(user=wang)

    assert not Notification.objects.filter(recipient_id=wang.pk).exists()


@pytest.mark.django_db
def test_deletion_keeps_consent_evidence(wang):
    user_delete(user=wang)

    assert ConsentRecord.objects.filter(user_id=wang.pk).exists()


@pytest.mark.django_db
def test_deletion_ends_current_memberships_today(wang, committee):
    today = timezone.localdate()

    user_delete(user=wang)

    ends = set(Membership.objects.filter(person_id=wang.pk).values_list("end", flat=True))
    assert ends == {today}
    tomorrow = today + timedelta(days=1)
    assert not Membership.objects.current(on=tomorrow).filter(person_id=wang.pk).exists()


@pytest.mark.django_db
def test_deletion_ends_a_term_that_was_due_to_run_for_years(make_person, committee):
    today = timezone.localdate()
    member = make_person(committee)
    MembershipFactory(
        person=member,
        committee=committee,
        role=Role.MEMBER,
        start=today - timedelta(days=365),
        end=today + timedelta(days=4 * 365),
    )

    user_delete(user=member)

    membership = Membership.objects.get(person_id=member.pk)
    assert membership.end == today


@pytest.mark.django_db
def test_deletion_leaves_past_terms_as_they_were(make_person, committee):
    today = timezone.localdate()
    past_end = today - timedelta(days=30)
    member = make_person(committee)
    MembershipFactory(
        person=member,
        committee=committee,
        role=Role.MEMBER,
        start=today - timedelta(days=5 * 365),
        end=past_end,
    )

    user_delete(user=member)

    assert Membership.objects.get(person_id=member.pk).end == past_end


@pytest.mark.django_db
def test_person_elected_for_a_term_not_yet_begun_can_delete_their_account(make_person, committee):
    today = timezone.localdate()
    elect = make_person(committee)
    MembershipFactory(
        person=elect, committee=committee, role=Role.MEMBER, start=today + timedelta(days=30)
    )

    user_delete(user=elect)

    assert not User.objects.get(pk=elect.pk).is_active
    assert (
        not Membership.objects.current(on=today + timedelta(days=60))
        .filter(person_id=elect.pk)
        .exists()
    )


@pytest.mark.django_db
def test_pending_claim_is_withdrawn_on_deletion(grid):
    residency = ResidencyFactory(grid=grid)

    user_delete(user=residency.person)

    assert not Residency.objects.filter(pk=residency.pk).exists()


@pytest.mark.django_db
def test_deleted_person_is_shown_as_former_resident(wang):
    user_delete(user=wang)
    person = User.objects.get(pk=wang.pk)

    with translation.override("en"):
        english = public_name(person)
    with translation.override("zh-hans"):
        chinese = public_name(person)

    assert english == "former resident"
    assert str(person) == public_name(person)
    assert chinese.strip()
    assert chinese != english


def log_in(client: Client, login: str) -> bool:
    client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_deleted_person_cannot_log_in(wang):
    old_username = wang.username
    assert log_in(Client(), "wang@example.com")

    user_delete(user=wang)

    assert not log_in(Client(), "wang@example.com")
    assert authenticate(username=old_username, password=PASSWORD) is None
    assert authenticate(username=f"former-{wang.pk}", password=PASSWORD) is None


@pytest.mark.django_db
def test_deleted_persons_open_session_no_longer_works(wang):
    browser = Client()
    assert log_in(browser, "wang@example.com")
    assert browser.get("/me/").status_code == 200

    user_delete(user=wang)

    response = browser.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_deleted_persons_phone_is_free_for_someone_new(wang):
    user_delete(user=wang)

    newcomer = UserFactory(phone="+8613812345678")

    assert newcomer.phone == "+8613812345678"


@pytest.mark.django_db
def test_deleted_person_gets_no_more_email(wang, mailoutbox):
    user_delete(user=wang)
    person = User.objects.get(pk=wang.pk)
    mailoutbox.clear()

    notification_send(recipient=person, message="会议通知")

    assert mailoutbox == []
