"""Getting in by SMS code: signing in without a password, setting a new password by a
code, the code pages' words and keyboard, and allauth's limits as a resident meets them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from townhall.accounts import sms
from townhall.accounts.models import User
from townhall.community.services import resident_register_assisted

from ..factories import GridFactory, MembershipFactory, UserFactory

NEW_PASSWORD = "Qw7!another-pass"


def last_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1][1]).group()


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def phone_only(db):
    """Signed up with a mobile number and a password, no email."""
    return UserFactory(phone="+8613800001234")


@pytest.fixture
def assisted(db):
    """Registered by a grid worker: a phone, no usable password, not yet verified."""
    grid = GridFactory()
    worker = UserFactory()
    MembershipFactory(person=worker, committee=grid.committee, role="grid_worker", grid=grid)
    return resident_register_assisted(
        by=worker,
        committee=grid.committee,
        grid=grid,
        address="3栋2单元501",
        real_name="张秀兰",
        phone="+8613800005678",
    )


def request_login_code(client, phone):
    return client.post(reverse("account_request_login_code"), {"phone": phone})


# --- Sign-in by code ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["phone_only", "assisted"])
def test_resident_signs_in_with_the_sms_code(client, who, request):
    person = request.getfixturevalue(who)

    response = request_login_code(client, person.phone[3:])  # typed as 13800001234

    assert response["Location"] == reverse("account_confirm_login_code")
    assert sms.outbox[-1][0] == person.phone
    assert "验证码" in sms.outbox[-1][1] or "verification code" in sms.outbox[-1][1]
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    person.refresh_from_db()
    assert person.phone_verified  # the code proved the number


def test_code_typed_with_a_space_is_accepted(client, phone_only):
    request_login_code(client, "13800001234")
    code = last_code()

    client.post(reverse("account_confirm_login_code"), {"code": f"{code[:3]} {code[3:]}"})

    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_sign_in_code_is_refused_with_a_message_and_the_number_shown(en, phone_only):
    request_login_code(en, "13800001234")

    response = en.post(reverse("account_confirm_login_code"), {"code": "000000"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "That verification code is not right" in page
    assert "138****1234" in page
    assert en.get(reverse("accounts:profile")).status_code == 302  # not signed in


def test_after_three_wrong_codes_the_form_keeps_the_typed_number(en, phone_only):
    request_login_code(en, "13800001234")
    for _ in range(3):
        response = en.post(reverse("account_confirm_login_code"), {"code": "000000"})

    assert response["Location"] == reverse("account_request_login_code")
    page = en.get(response["Location"]).content.decode()
    assert "Too many failed attempts" in page
    assert 'value="13800001234"' in page


def test_unknown_number_is_not_revealed_but_told_by_sms(en, db):
    response = request_login_code(en, "13700000000")

    assert response["Location"] == reverse("account_confirm_login_code")
    assert sms.outbox[-1] == (
        "+8613700000000",
        "[Townhall] No account uses this number. Sign up first.",
    )


def test_asking_for_codes_too_often_gives_a_clear_message_not_an_error(phone_only):
    # Fresh sessions each time: within one, asking again just returns to the code page.
    responses = []
    for _ in range(4):
        browser = Client()
        browser.cookies["django_language"] = "en"
        responses.append(request_login_code(browser, "13800001234"))

    assert [r.status_code for r in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200
    assert "Too many failed attempts" in responses[3].content.decode()
    assert 'value="13800001234"' in responses[3].content.decode()
    assert len(sms.outbox) == 3


def test_bad_number_keeps_what_was_typed(en, db):
    response = request_login_code(en, "1380000")

    assert response.status_code == 200
    assert "Enter an 11-digit mobile number" in response.content.decode()
    assert 'value="1380000"' in response.content.decode()
    assert not sms.outbox


# --- Password reset by code -----------------------------------------------------------


def reset_request(client, phone):
    return client.post(reverse("account_reset_password"), {"phone": phone})


@pytest.mark.parametrize("who", ["phone_only", "assisted"])
def test_sms_code_sets_a_new_password_and_signs_in(client, who, request):
    person = request.getfixturevalue(who)

    response = reset_request(client, person.phone[3:])
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    assert sms.outbox[-1][0] == person.phone

    response = client.post(reverse("account_confirm_password_reset_code"), {"code": last_code()})
    assert response["Location"] == reverse("account_complete_password_reset")
    response = client.post(
        reverse("account_complete_password_reset"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert person.phone_verified
    # And the new password works next time.
    client.logout()
    client.post(reverse("account_login"), {"login": person.phone[3:], "password": NEW_PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_reset_code_is_refused_and_the_password_stays(en, phone_only):
    reset_request(en, "13800001234")

    response = en.post(reverse("account_confirm_password_reset_code"), {"code": "000000"})

    assert response.status_code == 200
    assert "That verification code is not right" in response.content.decode()
    assert "138****1234" in response.content.decode()
    phone_only.refresh_from_db()
    assert phone_only.check_password("correct horse battery")


def test_reset_without_number_or_email_says_what_to_enter(en, db):
    response = en.post(reverse("account_reset_password"), {"phone": "", "email": ""})

    assert response.status_code == 200
    assert "Enter your mobile number or your email address." in response.content.decode()


def test_reset_by_email_still_mails_a_code(en, db):
    from allauth.account.models import EmailAddress
    from django.core import mail

    person = UserFactory(email="wang@example.cn")
    EmailAddress.objects.create(user=person, email="wang@example.cn", verified=True, primary=True)

    response = en.post(reverse("account_reset_password"), {"email": "wang@example.cn"})

    assert response["Location"] == reverse("account_confirm_password_reset_code")
    assert mail.outbox and not sms.outbox


def test_too_many_resets_for_one_number_gives_the_wait_page_not_an_error(en, phone_only):
    responses = [reset_request(en, "13800001234") for _ in range(6)]

    assert responses[-1].status_code == 429
    assert "Wait a minute, then try again" in responses[-1].content.decode()


def test_the_reset_page_asks_for_the_mobile_number_first(zh, db):
    page = zh.get(reverse("account_reset_password")).content.decode()

    assert page.index('name="phone"') < page.index('name="email"')
    assert "手机号码" in page


# --- The code page itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    "start, page_url",
    [
        (lambda c: request_login_code(c, "13800001234"), "account_confirm_login_code"),
        (lambda c: reset_request(c, "13800001234"), "account_confirm_password_reset_code"),
    ],
)
def test_code_page_says_yanzhengma_and_opens_the_number_pad(zh, phone_only, start, page_url):
    start(zh)

    page = zh.get(reverse(page_url)).content.decode()

    assert "验证码" in page
    assert "代码" not in page
    code_input = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group()
    assert 'inputmode="numeric"' in code_input
    assert 'autocomplete="one-time-code"' in code_input
    assert "data-resend-wait" in page  # the resend button, counting down with JS
    # One form in the page body: no hidden helper forms showing as empty boxes.
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count("<form") == 1 + main.count('class="lang-switch"')


def test_phone_verification_at_sign_up_speaks_the_same_words(zh, db):
    zh.post(
        reverse("account_signup"),
        {
            "phone": "13800009999",
            "display_name": "老王",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "privacy_consent": "on",
        },
    )

    page = zh.get(reverse("account_verify_phone")).content.decode()

    assert "验证码" in page and "代码" not in page
    assert 'inputmode="numeric"' in page


def test_wrong_number_on_the_code_page_lets_the_person_enter_it_again(en, phone_only):
    request_login_code(en, "13900000000")
    page = en.get(reverse("account_confirm_login_code")).content.decode()
    assert (
        f'formaction="{reverse("account_logout")}?next={reverse("account_request_login_code")}"'
        in page
    )

    response = en.post(
        reverse("account_logout") + "?next=" + reverse("account_request_login_code"), {}
    )

    assert response["Location"] == reverse("account_request_login_code")
    assert en.get(response["Location"]).status_code == 200  # the form, not the code page
    assert request_login_code(en, "13800001234").status_code == 302
    assert sms.outbox[-1][0] == "+8613800001234"


def test_resend_on_the_sign_in_code_page_sends_a_new_code(en, phone_only):
    request_login_code(en, "13800001234")
    first = last_code()

    response = en.post(reverse("account_confirm_login_code"), {"action": "resend"})

    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(sms.outbox) == 2
    en.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert en.get(reverse("accounts:profile")).status_code == 200
    assert first  # the first code was sent too


def test_sign_in_page_offers_the_sms_code(zh, db):
    page = zh.get(reverse("account_login")).content.decode()

    assert reverse("account_request_login_code") in page
    assert "代码" not in page


def test_sign_up_says_phone_or_email_is_needed_before_submitting(en, db):
    page = en.get(reverse("account_signup")).content.decode()

    legend = page.index("Mobile number or email: at least one is required")
    assert legend < page.index('name="phone"') < page.index('name="email"')


def test_phone_only_user_has_a_usable_password_after_reset_only(assisted):
    # The premise of the SMS routes: an assisted registration has no password at all.
    assert not User.objects.get(pk=assisted.pk).has_usable_password()
