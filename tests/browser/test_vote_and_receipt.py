"""A resident votes on her phone, keeps the receipt, and after the count finds her ballot
on the public ballot board with it; the chair closes the poll early with a reason on a
laptop. Screenshots of each screen the resident sees."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from townhall.community.models import Role
from townhall.ledger.verification import ledger_verify
from voting import services
from voting.models import Ballot, Participation, Poll

from ..conftest import give_totp
from ..factories import CommitteeFactory, GridFactory
from .conftest import DESKTOP, PHONE
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_votes_on_her_phone_and_finds_her_receipt_on_the_ballot_board(
    open_page, screenshot, wagtail_site
):
    committee = CommitteeFactory(name="幸福里居委会")
    grid = GridFactory(committee=committee)
    chair = person("13900000041", Role.CHAIR, committee, real_name="王红梅")
    give_totp(chair)
    resident = person("13900000042", Role.RESIDENT, committee, grid=grid, real_name="张秀兰")
    neighbours = [
        person(f"1390000005{n}", Role.RESIDENT, committee, grid=grid, real_name=name)
        for n, name in enumerate(["李海涛", "刘桂芳", "孙强"])
    ]
    poll = services.poll_create(
        committee=committee,
        by=chair,
        title="东门是否改为24小时开放",
        description="东门夜间关闭后，下夜班的居民需绕行北门。",
        method=Poll.Method.YES_NO,
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
        closes_at=timezone.now() + timedelta(days=3),
    )
    services.poll_open(poll=poll, by=chair)

    # On her phone, in Chinese: the home page lists the open poll.
    phone = open_page(viewport=PHONE, language="zh-hans")
    sign_in(phone, "13900000042")
    phone.goto("/")
    phone.get_by_role("link", name="东门是否改为24小时开放").click()
    phone.wait_for_url(re.compile(rf"/polls/{poll.pk}/$"))
    assert phone.get_by_text("无记名").first.is_visible()
    screenshot(phone, "vote-1-poll-on-phone")

    phone.get_by_label("同意").check()
    phone.locator("button.poll-submit").click()
    code = phone.locator(".receipt__code").inner_text().split()[-1]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    download = phone.locator(".receipt a[download]")
    assert code in download.get_attribute("download")
    screenshot(phone, "vote-2-receipt")

    # Going back and trying again: told she has voted; still one ballot.
    phone.goto(f"/polls/{poll.pk}/")
    assert phone.get_by_text("您已投票").first.is_visible()
    assert phone.locator("button.poll-submit").count() == 0

    for neighbour, choice in zip(neighbours, ["yes", "yes", "no"], strict=True):
        option = poll.options.get(code=choice)
        services.ballot_cast(poll=poll, voter=neighbour, content={"options": [option.pk]})

    # The chair closes the poll early, giving the reason, on a laptop.
    desk = open_page(viewport=DESKTOP, language="zh-hans")
    sign_in(desk, "13900000041", totp=True)
    desk.goto(f"/polls/{poll.pk}/close/")
    desk.locator("textarea[name=reason]").fill("全部住户已投票，经居委会会议同意提前结束。")
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_url(re.compile(rf"/polls/{poll.pk}/#result$"))
    assert desk.get_by_text("通过").first.is_visible()

    # Back on her phone: the result, then her ballot found on the board by its receipt.
    phone.goto(f"/polls/{poll.pk}/")
    screenshot(phone, "vote-3-result")
    phone.get_by_role("link", name=re.compile("公示板")).first.click()
    phone.wait_for_url(re.compile(rf"/polls/{poll.pk}/board/"))
    phone.locator("input[name=receipt]").fill(code.lower().replace("-", " "))
    phone.locator("form[role=search] button[type=submit]").click()
    found = phone.locator(".board-found")
    assert code in found.inner_text() and "同意" in found.inner_text()
    assert phone.locator(".board-row--found").count() == 1
    screenshot(phone, "vote-4-board-found")

    # Anyone can recount what the board published.
    call_command("verify_poll", str(poll.pk))
    assert Ballot.objects.filter(poll=poll).count() == Participation.objects.count() == 4
    assert Participation.objects.filter(elector__person=resident).count() == 1
    assert ledger_verify().ok
