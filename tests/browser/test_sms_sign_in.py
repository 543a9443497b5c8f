"""A resident without a password gets in by SMS: on a 390-px phone in Chinese and on a
desktop in English, one signs in with a 验证码 (registered by their grid worker, so no
password at all), another sets a new password by a 验证码 and signs in with it. Every
public page passes axe-core and keeps to the screen at the phone's 200% text size."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from townhall.accounts import sms
from townhall.community.models import Role
from townhall.community.services import resident_register_assisted

from ..factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Qw7!another-pass"
# The phone's own text size at 200% (as in test_large_text_and_a11y.py).
PHONE_200 = ":root { font-size: 212.5%; } html.text-large { font-size: 275%; }"

WORDS = {
    "zh-hans": {
        "code_link": "用短信验证码登录",
        "send": "发送验证码",
        "code": "验证码",
        "confirm": "确认",
        "wrong": "验证码不正确",
        "forgot": "忘记密码？",
        "save": "保存新密码并登录",
        "signed_in": "我的",
    },
    "en": {
        "code_link": "Sign in with an SMS verification code",
        "send": "Send the verification code",
        "code": "Verification code",
        "confirm": "Confirm",
        "wrong": "That verification code is not right",
        "forgot": "Forgot your password?",
        "save": "Save the new password and sign in",
        "signed_in": "Me",
    },
}
DEVICES = [("phone", PHONE, "zh-hans"), ("desktop", DESKTOP, "en")]


@pytest.fixture
def neighbourhood(wagtail_site):
    committee = CommitteeFactory(name="幸福里居委会", community__name="东川路社区")
    grid = GridFactory(committee=committee, name="第一网格")
    worker = UserFactory(real_name="马骏")
    MembershipFactory(person=worker, committee=committee, role=Role.GRID_WORKER, grid=grid)
    return committee, grid, worker


def last_code(phone: str) -> str:
    sent = [text for to, text in sms.outbox if to == phone]
    return re.search(r"\d{6}", sent[-1]).group()


def look(page, screenshot, axe_check, name: str, axe: bool = True):
    """axe-core on the page, a screenshot at 100% text, then at the phone's 200% with
    nothing pushed sideways."""
    page.wait_for_load_state()
    if axe:
        axe_check(page, name)
    screenshot(page, f"{name}-100")
    page.add_style_tag(content=PHONE_200)
    screenshot(page, f"{name}-200")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    page.reload()  # back to 100% for the next step


@pytest.mark.parametrize("device, viewport, language", DEVICES)
def test_resident_registered_by_the_grid_worker_signs_in_by_sms_code(
    open_page, screenshot, axe_check, neighbourhood, device, viewport, language
):
    committee, grid, worker = neighbourhood
    # Playwright's event loop runs in this thread, and approving the residency
    # broadcasts through async_to_sync: register in a worker thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            resident_register_assisted,
            by=worker,
            committee=committee,
            grid=grid,
            address="3栋2单元501",
            real_name="张秀兰",
            phone="+8613800005678",
        ).result()
    words = WORDS[language]
    page = open_page(viewport=viewport, language=language)
    name = f"sms-sign-in-{device}-{language}"

    page.goto("/accounts/login/")
    look(page, screenshot, axe_check, f"{name}-1-login")
    page.get_by_role("link", name=words["code_link"]).click()
    page.wait_for_url(re.compile(r"/accounts/login/code/$"))
    look(page, screenshot, axe_check, f"{name}-2-request")
    page.locator("input[name=phone]").fill("138 0000 5678")
    page.get_by_role("button", name=words["send"]).click()

    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    code_box = page.get_by_label(words["code"], exact=True)
    assert code_box.get_attribute("inputmode") == "numeric"
    assert code_box.get_attribute("autocomplete") == "one-time-code"
    page.get_by_text("138****5678").wait_for()
    # The resend button waits out the minute, counting down.
    resend = page.locator("button[data-resend-wait]")
    assert resend.is_disabled() and re.search(r"\d", resend.inner_text())
    look(page, screenshot, axe_check, f"{name}-3-code")

    # A wrong code first: refused, saying so, the number still shown.
    code_box.fill("000000")
    page.get_by_role("button", name=words["confirm"], exact=True).click()
    page.get_by_text(words["wrong"]).wait_for()
    page.get_by_text("138****5678").wait_for()
    look(page, screenshot, axe_check, f"{name}-4-wrong-code")

    page.get_by_label(words["code"], exact=True).fill(last_code("+8613800005678"))
    page.get_by_role("button", name=words["confirm"], exact=True).click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/me/")
    page.get_by_text("3栋2单元501").first.wait_for()  # signed in as the resident
    screenshot(page, f"{name}-5-signed-in")


@pytest.mark.parametrize("device, viewport, language", DEVICES)
def test_resident_resets_the_password_by_sms_code_then_signs_in_with_it(
    open_page, screenshot, axe_check, neighbourhood, device, viewport, language
):
    UserFactory(phone="+8613800001234", display_name="老王")
    words = WORDS[language]
    page = open_page(viewport=viewport, language=language)
    name = f"sms-reset-{device}-{language}"

    page.goto("/accounts/login/")
    page.get_by_role("link", name=words["forgot"]).click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/$"))
    look(page, screenshot, axe_check, f"{name}-1-request")
    page.locator("input[name=phone]").fill("13800001234")
    page.get_by_role("button", name=words["send"]).click()

    page.wait_for_url(re.compile(r"/accounts/password/reset/confirm/"))
    page.get_by_text("138****1234").wait_for()
    look(page, screenshot, axe_check, f"{name}-2-code")
    page.get_by_label(words["code"], exact=True).fill(last_code("+8613800001234"))
    page.get_by_role("button", name=words["confirm"], exact=True).click()

    page.wait_for_url(re.compile(r"/accounts/password/reset/complete/"))
    look(page, screenshot, axe_check, f"{name}-3-new-password")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_url(re.compile(r"/$"))
    screenshot(page, f"{name}-4-signed-in")

    # Signed out, the new password is the way back in.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13800001234")
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/me/")
    assert "/accounts/login/" not in page.url
    screenshot(page, f"{name}-5-signed-in-again")
