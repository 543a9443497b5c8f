"""A newcomer signs up on a phone, a grid worker verifies them, they see their committee."""

import re

import pytest

from townhall.accounts import sms
from townhall.community.models import Residency, Role

from ..factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zx9!long-pass"


@pytest.fixture
def neighbourhood(wagtail_site):
    committee = CommitteeFactory(name="幸福里居委会", community__name="东川路社区")
    grid = GridFactory(committee=committee, name="第一网格")
    worker = UserFactory(real_name="赵敏", phone="+8613900000007")
    worker.set_password(PASSWORD)
    worker.save()
    MembershipFactory(person=worker, committee=committee, role=Role.GRID_WORKER, grid=grid)
    return committee, grid, worker


def test_resident_signs_up_is_verified_and_sees_the_committee(open_page, screenshot, neighbourhood):
    committee, grid, _worker = neighbourhood

    # A resident signs up on their phone with a mobile number.
    resident = open_page(viewport=PHONE)
    resident.goto("/accounts/signup/")
    screenshot(resident, "signup-phone")
    resident.get_by_label("Mobile number").fill("138 0000 1234")
    resident.get_by_label("Display name").fill("热心的小陈")
    resident.get_by_label("Password", exact=True).fill(PASSWORD)
    resident.get_by_label("Password (again)").fill(PASSWORD)
    resident.get_by_label("I have read and agree to the privacy notice").check()
    resident.get_by_role("button", name="Sign up").click()

    # The SMS code arrives; they type it in.
    resident.wait_for_url(re.compile(r"/accounts/phone/verify/"))
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    resident.get_by_label("Code").fill(code)
    resident.get_by_role("button", name=re.compile("Confirm|Verify")).click()
    resident.wait_for_url(re.compile(r"/$"))

    # They tell the committee where they live.
    resident.goto(f"/committees/{committee.slug}/")
    resident.get_by_role("link", name="I live here").click()
    resident.get_by_label("Real name").fill("陈晓明")
    resident.get_by_label("Grid").select_option(label=grid.name)  # its committee is known
    resident.get_by_label("Address").fill("3栋2单元501")
    resident.get_by_role("button", name="Send for verification").click()
    resident.get_by_text("Awaiting verification").first.wait_for()
    screenshot(resident, "claim-pending-phone")

    # The grid worker signs in on a desktop and approves the claim.
    desk = open_page(viewport=DESKTOP)
    desk.goto("/accounts/login/")
    desk.get_by_label(re.compile("Email or phone|Login", re.I)).fill("13900000007")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign In").click()
    desk.goto(f"/committees/{committee.slug}/verify/")
    desk.get_by_text("3栋2单元501").wait_for()
    desk.get_by_text("陈晓明").wait_for()  # the real name, for the worker to check
    screenshot(desk, "verification-queue-desktop")
    desk.get_by_role("button", name="Approve the claim for 3栋2单元501").click()
    # It asks first, naming the person and the address.
    assert "陈晓明 becomes a verified resident living at 3栋2单元501" in (
        desk.locator("dialog[open]").inner_text()
    )
    desk.locator("dialog[open] [data-confirm-ok]").click()
    desk.get_by_text("No claims waiting").wait_for()

    # The resident now sees themselves verified, and the message in the inbox.
    resident.goto(f"/committees/{committee.slug}/")
    resident.get_by_text("Verified resident").wait_for()
    screenshot(resident, "committee-verified-phone")
    resident.goto("/me/inbox/")
    resident.get_by_text("3栋2单元501").wait_for()
    assert Residency.objects.get(address="3栋2单元501").status == Residency.Status.APPROVED
