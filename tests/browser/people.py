"""People for browser tests: accounts with a known password, and signing in as them."""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from ..conftest import TOTP_SECRET
from ..factories import MembershipFactory, UserFactory

PASSWORD = "Zx9!long-pass"


def person(phone, role, committee, grid=None, **fields):
    user = UserFactory(phone=f"+86{phone}", **fields)
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(person=user, committee=committee, role=role, grid=grid)
    return user


def sign_in(page, phone, totp=False):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(phone)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
        page.locator("input[name=code]").fill(code)
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
