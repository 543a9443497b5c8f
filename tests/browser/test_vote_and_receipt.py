"""A resident votes on her phone through the confirmation, keeps the receipt, reloads
the page and is told she has voted (with the way to the ballot board), not shown a new
form; her neighbour votes as a proxy and his receipt says whose it is; the chair closes
the poll early with a reason on a laptop; on a desktop the board finds her ballot with
the receipt. Screenshots of each screen, in Chinese and English; axe-core on each."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from townhall.community.models import Role
from townhall.ledger.verification import ledger_verify
from voting import proxies, services
from voting.models import Ballot, Participation, Poll

from ..conftest import give_totp
from ..factories import CommitteeFactory, GridFactory
from .conftest import DESKTOP, PHONE
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIND_LATER = "投票结束后，可在公示的选票清单中用您的回执码查找您的选票"


def cast_confirmed(page, *named: str) -> str:
    """Submits the vote form and confirms; returns the confirmation's text, which must
    name what will be cast."""
    page.locator("button.poll-submit").click()
    dialog = page.locator("dialog[open]")
    text = dialog.inner_text()
    for name in named:
        assert name in text, (name, text)
    return text


def confirm(page) -> None:
    page.locator("dialog[open] [data-confirm-ok]").click()


def test_a_resident_votes_on_her_phone_and_finds_her_receipt_on_the_ballot_board(
    open_page, screenshot, axe_check, wagtail_site
):
    committee = CommitteeFactory(name="幸福里居委会")
    grid = GridFactory(committee=committee)
    chair = person("13900000041", Role.CHAIR, committee, real_name="王红梅")
    give_totp(chair)
    resident = person("13900000042", Role.RESIDENT, committee, grid=grid, real_name="张秀兰")
    holder, grantor, neighbour = (
        person(
            f"1390000005{n}", Role.RESIDENT, committee, grid=grid, real_name=real, display_name=name
        )
        for n, (real, name) in enumerate([("李海涛", "海涛"), ("刘桂芳", "老刘"), ("孙强", "小孙")])
    )
    poll = services.poll_create(
        committee=committee,
        by=chair,
        title="东门是否改为24小时开放",
        description="东门夜间关闭后，下夜班的居民需绕行北门。",
        method=Poll.Method.YES_NO,
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
        closes_at=timezone.now() + timedelta(days=3),
        proxies_allowed=True,
    )
    services.poll_open(poll=poll, by=chair)
    proxies.proxy_grant(poll=poll, grantor=grantor, holder=holder, by=grantor, document="")

    # On her phone, in Chinese: the home page lists the open poll.
    phone = open_page(viewport=PHONE, language="zh-hans")
    sign_in(phone, "13900000042")
    phone.goto("/")
    phone.get_by_role("link", name="东门是否改为24小时开放").click()
    phone.wait_for_url(re.compile(rf"/polls/{poll.pk}/$"))
    assert phone.get_by_text("无记名").first.is_visible()
    axe_check(phone, "poll page (phone, zh)")
    screenshot(phone, "vote-1-poll-on-phone")

    # Casting asks first, naming what will happen and her choice.
    phone.get_by_label("同意").check()
    cast_confirmed(phone, "提交后不能更改。确认投出这张选票？", "同意")
    screenshot(phone, "vote-2-confirm")
    confirm(phone)
    code = phone.locator(".receipt__code").inner_text().split()[-1]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    download = phone.locator(".receipt a[download]")
    assert code in download.get_attribute("download")
    assert phone.get_by_text("回执码只显示这一次，请现在就保存好。").is_visible()
    axe_check(phone, "receipt (phone, zh)")
    screenshot(phone, "vote-3-receipt")

    # She reloads before keeping it: the page asks first; then the browser posts the
    # ballot again, and she is told she has voted and where to find her ballot later.
    asked = []
    phone.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    phone.reload()
    assert asked == ["beforeunload"]
    assert phone.get_by_text("您已投票").first.is_visible()
    assert phone.get_by_text(FIND_LATER).is_visible()
    assert phone.get_by_role("link", name="投票公示板").get_attribute("href") == (
        f"/polls/{poll.pk}/board/"
    )
    assert phone.locator("button.poll-submit").count() == 0
    assert code not in phone.content()
    axe_check(phone, "already voted (phone, zh)")
    screenshot(phone, "vote-4-reloaded-already-voted")

    # The vote address typed again (a GET): the poll page, voted, no form.
    phone.goto(f"/polls/{poll.pk}/vote/")
    phone.wait_for_url(re.compile(rf"/polls/{poll.pk}/#vote$"))
    assert phone.get_by_text("您已投票").first.is_visible()
    assert phone.get_by_text(FIND_LATER).is_visible()
    assert phone.locator("button.poll-submit").count() == 0

    # Her neighbour, on his phone in English, casts 老刘's vote as her proxy.
    proxy = open_page(viewport=PHONE, language="en")
    sign_in(proxy, "13900000050")
    proxy.goto(f"/polls/{poll.pk}/")
    proxy.get_by_label("For 老刘 (proxy)").check()
    proxy.get_by_label("反对").check()
    cast_confirmed(proxy, "Cast this ballot?", "For 老刘 (proxy)", "反对")
    screenshot(proxy, "vote-5-proxy-confirm-en")
    confirm(proxy)
    assert proxy.get_by_text("This is the ballot of 老刘: you cast it as their proxy.").is_visible()
    assert proxy.get_by_text(re.compile("Hand this receipt over to 老刘")).is_visible()
    axe_check(proxy, "proxy receipt (phone, en)")
    screenshot(proxy, "vote-6-proxy-receipt-en")
    # Once downloaded, leaving does not ask.
    asked_proxy = []
    proxy.on("dialog", lambda dialog: (asked_proxy.append(dialog.type), dialog.accept()))
    with proxy.expect_download() as downloaded:
        proxy.locator(".receipt a[download]").click()
    assert "老刘" in downloaded.value.path().read_text()
    proxy.goto(f"/polls/{poll.pk}/")
    assert asked_proxy == []

    for voter, choice in [(holder, "yes"), (neighbour, "yes")]:
        option = poll.options.get(code=choice)
        services.ballot_cast(poll=poll, voter=voter, content={"options": [option.pk]})

    # The chair closes the poll early, giving the reason, on a laptop.
    desk = open_page(viewport=DESKTOP, language="zh-hans")
    sign_in(desk, "13900000041", totp=True)
    desk.goto(f"/polls/{poll.pk}/close/")
    desk.locator("textarea[name=reason]").fill("全部住户已投票，经居委会会议同意提前结束。")
    desk.locator("main form button[type=submit]").click()
    assert "「东门是否改为24小时开放」的投票将立即停止" in desk.locator("dialog[open]").inner_text()
    confirm(desk)
    desk.wait_for_url(re.compile(rf"/polls/{poll.pk}/#result$"))
    assert desk.get_by_text("通过", exact=True).first.is_visible()

    # Back on her phone: the result.
    phone.goto(f"/polls/{poll.pk}/")
    screenshot(phone, "vote-7-result")

    # On a desktop, her ballot found on the board by its receipt, typed loosely.
    board = open_page(viewport=DESKTOP, language="zh-hans")
    board.goto(f"/polls/{poll.pk}/")
    board.get_by_role("link", name=re.compile("公示板")).first.click()
    board.wait_for_url(re.compile(rf"/polls/{poll.pk}/board/"))
    board.locator("input[name=receipt]").fill(code.lower().replace("-", " "))
    board.locator("form[role=search] button[type=submit]").click()
    found = board.locator(".board-found")
    assert code in found.inner_text() and "同意" in found.inner_text()
    assert board.locator(".board-row--found").count() == 1
    axe_check(board, "ballot board (desktop, zh)")
    screenshot(board, "vote-8-board-found-desktop")

    # Anyone can recount what the board published.
    call_command("verify_poll", str(poll.pk))
    assert Ballot.objects.filter(poll=poll).count() == Participation.objects.count() == 4
    assert Participation.objects.filter(elector__person=resident).count() == 1
    assert ledger_verify().ok
