"""Both admins sign in through allauth, where two-step verification applies."""

import pytest
from django.urls import reverse

from ..conftest import give_totp
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_cms_login_goes_through_allauth(client):
    response = client.get("/cms/login/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_cms_pages_send_signed_out_visitors_to_allauth(client):
    response = client.get("/cms/")

    assert response["Location"].startswith(reverse("account_login"))


def test_django_admin_login_goes_through_allauth(client):
    response = client.get("/django-admin/login/")

    assert response["Location"].startswith(reverse("account_login"))


def test_an_admin_with_totp_must_give_the_code_after_the_password(client):
    admin = UserFactory(is_staff=True, is_superuser=True, phone="+8613900000099")
    give_totp(admin)

    response = client.post(
        reverse("account_login"), {"login": "13900000099", "password": "correct horse battery"}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/cms/").status_code == 302  # not signed in yet
