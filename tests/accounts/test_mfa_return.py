"""Turning on two-step verification returns the official to the page that asked for it,
in our words rather than allauth's."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from townhall.community.models import Role

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def confirm_password(client):
    """allauth asks for the password again before a security change."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def turn_on(client, **extra):
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    return page, client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret), **extra})


def test_supervisor_sent_by_the_gate_returns_to_the_dashboard(en, make_person, committee):
    en.force_login(make_person(committee, Role.SUPERVISOR))
    dashboard = reverse("deliberation:committee_dashboard", args=[committee.slug])
    assert en.get(dashboard)["Location"] == reverse("mfa_activate_totp")

    _page, response = turn_on(en)

    assert response.status_code == 302
    assert response["Location"] == dashboard
    page = en.get(dashboard)
    assert page.status_code == 200
    assert "Keep your recovery codes" in page.content.decode()


def test_the_password_check_on_the_way_does_not_lose_the_return(en, make_person, committee):
    en.force_login(make_person(committee, Role.SUPERVISOR))
    dashboard = reverse("deliberation:committee_dashboard", args=[committee.slug])
    en.get(dashboard)

    asked = en.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    page = en.get(asked["Location"])
    assert "Confirm it is you" in page.content.decode()
    resumed = en.post(asked["Location"], {"password": PASSWORD})
    secret = en.get(reverse("mfa_activate_totp")).context["form"].secret
    response = en.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})

    assert resumed.status_code == 302
    assert response["Location"] == dashboard


def test_next_in_the_address_is_where_the_person_returns(en, make_person, committee):
    en.force_login(make_person(committee))
    target = reverse("accounts:profile")
    confirm_password(en)

    page = en.get(reverse("mfa_activate_totp") + f"?next={target}")
    assert f'name="next" value="{target}"' in page.content.decode()
    secret = page.context["form"].secret
    response = en.post(reverse("mfa_activate_totp"), {"code": totp_now(secret), "next": target})

    assert response["Location"] == target


def test_another_site_is_never_a_return_target(en, make_person, committee):
    en.force_login(make_person(committee))

    _page, response = turn_on(en, next="https://evil.example/")

    assert response["Location"] != "https://evil.example/"
    assert response["Location"].startswith("/")


def test_without_a_page_to_return_to_it_ends_on_the_two_step_settings(en, make_person, committee):
    en.force_login(make_person(committee))

    _page, response = turn_on(en)

    assert response["Location"] == reverse("mfa_index")
    assert response["Location"] != reverse("mfa_view_recovery_codes")


def test_wrong_app_code_keeps_the_page_and_says_so(en, make_person, committee):
    en.force_login(make_person(committee))
    confirm_password(en)
    en.get(reverse("mfa_activate_totp"))

    response = en.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_set_up_page_speaks_plain_chinese(zh, make_person, committee):
    zh.force_login(make_person(committee))
    confirm_password(zh)

    page = zh.get(reverse("mfa_activate_totp")).content.decode()

    assert "开启两步验证" in page
    assert "验证器 App" in page
    assert 'inputmode="numeric"' in page
    for stock in ("激活", "认证器代码", "双因素"):  # allauth's own Chinese
        assert stock not in page


def test_the_settings_page_speaks_plain_chinese(zh, make_person, committee):
    person = make_person(committee, mfa=True)
    zh.force_login(person)

    page = zh.get(reverse("mfa_index")).content.decode()

    assert "两步验证" in page and "已开启" in page
    assert "双因素" not in page and "代码" not in page
