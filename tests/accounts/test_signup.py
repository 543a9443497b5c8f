"""Signing up with a mobile number or an email, through allauth as a resident would."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from townhall.accounts import sms
from townhall.accounts.models import ConsentRecord, User

PASSWORD = "Zx9!long-pass"


def signup(client, **fields):
    data = {
        "display_name": "老王",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
        **fields,
    }
    return client.post(reverse("account_signup"), data)


def sms_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1][1]).group()


@pytest.mark.django_db
def test_signup_with_mobile_number_as_typed_sends_a_six_digit_code(client):
    response = signup(client, phone="138 0000 1234")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    phone, text = sms.outbox[-1]
    assert phone == "+8613800001234"
    assert re.search(r"\b\d{6}\b", text)
    user = User.objects.get(phone="+8613800001234")
    assert user.display_name == "老王"
    assert not user.phone_verified


@pytest.mark.django_db
def test_entering_the_sms_code_verifies_the_number(client):
    signup(client, phone="13800001234")

    response = client.post(reverse("account_verify_phone"), {"code": sms_code()})

    assert response.status_code == 302
    assert User.objects.get(phone="+8613800001234").phone_verified


@pytest.mark.django_db
def test_wrong_sms_code_is_refused_with_a_message(client):
    signup(client, phone="13800001234")

    response = client.post(reverse("account_verify_phone"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(phone="+8613800001234").phone_verified


@pytest.mark.django_db
def test_signup_records_consent_to_the_current_privacy_notice(client, settings):
    signup(client, phone="13800001234")

    consent = ConsentRecord.objects.get(user__phone="+8613800001234")
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION


@pytest.mark.django_db
def test_signup_without_consent_keeps_what_was_typed_and_says_why(client):
    response = signup(client, phone="13800001234", display_name="张阿姨", privacy_consent="")

    assert response.status_code == 200
    assert "privacy_consent" in response.context["form"].errors
    assert 'value="张阿姨"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_needs_a_mobile_number_or_an_email(client):
    response = signup(client)

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_malformed_mobile_number_is_refused_with_a_clear_message(client):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("account_signup"), {"phone": "12345", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert "11-digit mobile number" in " ".join(response.context["form"].errors["phone"])


@pytest.mark.django_db
def test_signup_with_email_sends_a_verification_email(client):
    response = signup(client, email="wang@example.cn")

    assert response.status_code == 302
    assert User.objects.get(email="wang@example.cn")
    assert mail.outbox and "wang@example.cn" in mail.outbox[-1].to


@pytest.mark.django_db
def test_resident_logs_in_with_the_mobile_number_as_typed(client):
    signup(client, phone="13800001234")
    client.post(reverse("account_verify_phone"), {"code": sms_code()})
    client.logout()

    response = client.post(reverse("account_login"), {"login": "13800001234", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_rate_limited(client):
    signup(client, email="wang@example.cn")
    client.logout()
    client.cookies["django_language"] = "en"
    responses = [
        client.post(reverse("account_login"), {"login": "wang@example.cn", "password": "wrong"})
        for _ in range(6)
    ]

    assert "Too many failed attempts" not in responses[0].content.decode()
    assert "Too many failed attempts" in responses[-1].content.decode()
    right = client.post(
        reverse("account_login"), {"login": "wang@example.cn", "password": PASSWORD}
    )
    assert right.status_code == 200, "even the right password waits out the limit"
