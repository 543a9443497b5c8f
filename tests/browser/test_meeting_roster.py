"""The chair checks people in from the roll: on a 390-px phone in Chinese and on a desktop
in English, ten residents of seventeen are checked in with one tap each (the clicks are
counted) and the count goes to 10 without a page load; the search finds a resident by
name as it is typed; the meeting is closed through the confirmation that names it.
axe-core on each page; screenshots at 100% and 200% text."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from deliberation.meetings import services
from deliberation.meetings.models import Attendance, Body, Meeting
from townhall.community.models import Role

from ..conftest import give_totp
from ..factories import CommitteeFactory, GridFactory
from .conftest import DESKTOP, PHONE
from .people import person, sign_in
from .test_large_text_and_a11y import PHONE_200, problems_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "李海涛", "张秀兰", "刘桂芳", "马丽", "孙强", "周建国", "吴淑珍", "郑小红", "王德福",
    "冯玉兰", "陈志明", "褚美玲", "卫国庆", "蒋春燕", "沈立新", "韩桂英", "杨光明",
]  # fmt: skip
CHAIR_PHONE = "13900000061"

WORDS = {
    "zh-hans": {
        "check_in": "为{name}签到",
        "arrived": "已到",
        "present": "{name}已登记到会。",
        "met": "已达到法定人数",
        "close": "关闭会议「{title}」后不能再签到或表决。确认关闭？",
    },
    "en": {
        "check_in": "Check in {name}",
        "arrived": "Arrived",
        "present": "{name} is present.",
        "met": "Quorum met",
        "close": "After closing the meeting “{title}”, no one can check in or vote at it.",
    },
}


def open_assembly(title: str) -> Meeting:
    committee = CommitteeFactory(name="幸福里居委会")
    grid = GridFactory(committee=committee)
    chair = person(CHAIR_PHONE, Role.CHAIR, committee, real_name="王红梅")
    give_totp(chair)
    for n, name in enumerate(NAMES):
        person(f"139000001{n:02d}", Role.RESIDENT, committee, grid=grid, real_name=name)
    # The convening notice pushes unread counts over the channel layer, which cannot be
    # reached from this thread while the browser's event loop runs in it.
    with mock.patch("townhall.accounts.events.inbox_unread_send"):
        meeting = services.meeting_convene(
            committee=committee,
            by=chair,
            body=Body.ASSEMBLY,
            title=title,
            starts_at=timezone.now() + timedelta(days=11),
            place="社区活动中心",
            chair=chair,
        )
    return services.meeting_open(meeting=meeting, by=chair)


def look(page, name: str, screenshot, axe_check, *, phone: bool):
    """axe-core and a screenshot at 100%; on a phone also at the phone's 200% text,
    where nothing may scroll sideways."""
    axe_check(page, name)
    screenshot(page, f"{name}-100")
    if phone:
        page.add_style_tag(content=PHONE_200)
        assert not problems_on(page, name), problems_on(page, name)
        screenshot(page, f"{name}-200")
        page.evaluate("document.querySelector('style:last-of-type').remove()")


@pytest.mark.parametrize(
    ("viewport", "language"), [(PHONE, "zh-hans"), (DESKTOP, "en")], ids=["phone-zh", "desk-en"]
)
def test_the_chair_checks_ten_people_in_from_the_roll_one_tap_each(
    open_page, screenshot, axe_check, wagtail_site, viewport, language
):
    words, phone = WORDS[language], viewport == PHONE
    where = f"roster-{'phone' if phone else 'desk'}-{language}"
    meeting = open_assembly("居民会议：东门改造")
    page = open_page(viewport=viewport, language=language)
    sign_in(page, CHAIR_PHONE, totp=True)

    # From the chair's screen to the roll: seventeen expected, none arrived.
    page.goto(f"/meetings/{meeting.pk}/chair/")
    page.locator(f"a[href='/meetings/{meeting.pk}/roster/']").first.click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/roster/$"))
    assert page.locator("[data-roster-row]").count() == 17
    assert page.locator("[data-quorum-present]").inner_text() == "0"
    look(page, f"{where}-1-roll", screenshot, axe_check, phone=phone)

    # Ten taps, one per person; the page is never reloaded (the marker survives).
    page.evaluate("window.notReloaded = true")
    clicks = 0
    for name in NAMES[:10]:
        page.get_by_role("button", name=words["check_in"].format(name=name)).click()
        clicks += 1
        row = page.locator(".roster-row--arrived", has_text=name)
        row.wait_for()
        assert words["arrived"] in row.inner_text()
        page.get_by_text(words["present"].format(name=name)).wait_for()
    assert clicks == 10
    page.locator("[data-quorum-present]", has_text="10").wait_for()
    assert page.locator("[data-quorum-members]").inner_text() == "17"
    assert words["met"] in page.locator("[data-quorum-verdict]").inner_text()
    assert page.evaluate("window.notReloaded === true")
    assert Attendance.objects.filter(meeting=meeting, roll_member__isnull=False).count() == 10
    look(page, f"{where}-2-ten-arrived", screenshot, axe_check, phone=phone)

    # The search filters as the name is typed: one row, still waiting, one tap away.
    page.locator("#roster-q").press_sequentially("桂英", delay=50)
    page.locator("[data-roster-row]", has_text="韩桂英").wait_for()
    page.wait_for_function("document.querySelectorAll('[data-roster-row]').length === 1")
    assert page.get_by_role("button", name=words["check_in"].format(name="韩桂英")).is_visible()
    assert "q=" in page.url
    look(page, f"{where}-3-search", screenshot, axe_check, phone=phone)

    # Closing asks first, naming the meeting; then nobody can check in any more.
    page.goto(f"/meetings/{meeting.pk}/chair/")
    page.locator("form[action$='/close/'] button[type=submit]").click()
    dialog = page.locator("dialog[open]")
    assert words["close"].format(title=meeting.title) in dialog.inner_text()
    look(page, f"{where}-4-close-confirm", screenshot, axe_check, phone=False)
    dialog.locator("[data-confirm-ok]").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    page.goto(f"/meetings/{meeting.pk}/roster/")
    assert page.locator("main form[method=post]").count() == 0
    look(page, f"{where}-5-closed", screenshot, axe_check, phone=phone)


def test_cancelling_the_confirmation_leaves_the_meeting_open(open_page, wagtail_site):
    meeting = open_assembly("居民会议：停车位")
    page = open_page(viewport=PHONE, language="zh-hans")
    sign_in(page, CHAIR_PHONE, totp=True)
    page.goto(f"/meetings/{meeting.pk}/chair/")

    page.locator("form[action$='/close/'] button[type=submit]").click()
    page.locator("dialog[open] [data-confirm-cancel]").click()

    assert page.locator("dialog[open]").count() == 0
    assert page.url.endswith(f"/meetings/{meeting.pk}/chair/")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN
