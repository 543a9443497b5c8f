"""The "Me" pages: profile, inbox, my data, deleting my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from townhall.accounts.models import Notification, User

from ..factories import UserFactory


@pytest.fixture
def me(client, db):
    person = UserFactory(real_name="陈晓明", display_name="小陈")
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return person


def test_profile_changes_the_display_name_and_asks_no_gender(client, me):
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="gender"' not in page

    response = client.post(
        reverse("accounts:profile"), {"real_name": "陈晓明", "display_name": "热心的小陈"}
    )

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.display_name == "热心的小陈"


def test_a_resident_chooses_announcements_by_sms_and_keeps_her_profile(client, me):
    response = client.post(
        reverse("accounts:profile"), {"form": "announcements", "announcements_by_sms": "on"}
    )

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.announcements_by_sms and not me.announcements_by_email
    assert me.display_name == "小陈"  # the other form on the page is untouched
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Saved: how announcements reach you." in page


def test_announcements_cannot_go_to_an_unverified_address_or_number(client, db):
    person = UserFactory(phone="+8613900000009", phone_verified=False)
    EmailAddress.objects.create(user=person, email="new@example.com", verified=False)
    client.force_login(person)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("accounts:profile")).content.decode()
    client.post(
        reverse("accounts:profile"),
        {"form": "announcements", "announcements_by_email": "on", "announcements_by_sms": "on"},
    )

    assert "Add and verify a mobile number first." in page
    assert "Add and verify an email address first." in page
    person.refresh_from_db()
    assert not person.announcements_by_email and not person.announcements_by_sms


def test_opening_the_inbox_marks_messages_read_and_shows_them(client, me):
    Notification.objects.create(recipient=me, message="您的住址已核实")

    response = client.get(reverse("accounts:inbox"))

    assert "您的住址已核实" in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at=None).exists()


def test_my_data_downloads_as_a_json_file(client, me):
    response = client.get(reverse("accounts:export"))

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    exported = json.loads(response.content)
    assert exported["account"]["real_name"] == "陈晓明"
    assert exported["settings"] == {
        "large_text": False,
        "announcements_by_email": False,
        "announcements_by_sms": False,
    }


def test_deleting_needs_the_typed_confirmation(client, me):
    response = client.post(reverse("accounts:delete_confirm"), {"confirm": "delete"})

    assert response.status_code == 400
    assert "Type DELETE in capitals" in response.content.decode()
    assert User.objects.get(pk=me.pk).is_active


def test_deleting_my_account_signs_me_out_and_erases_my_name(client, me):
    response = client.post(reverse("accounts:delete_confirm"), {"confirm": "DELETE"})

    assert response.status_code == 302
    gone = User.objects.get(pk=me.pk)
    assert gone.is_former and not gone.is_active
    assert gone.real_name == ""
    assert client.get(reverse("accounts:profile")).status_code == 302  # to sign-in
