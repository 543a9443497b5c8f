"""Every role finds its work without typing an address, on a 390-px phone in Chinese and a
desktop in English: a grid worker reaches the verification queue from the home page and
sees how many claims wait; a supervisor reaches the supervision workspace from 我的; the
chair reaches the dashboard and finds the flagged opinion on it; a verified resident taps
我的社区 and lands on their committee, and 提意见 on the home page opens the opinion
form. axe-core on every page; the pages stay usable at 200% text."""

import re

import pytest
from django.utils import timezone

from townhall.community.models import Role
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage

from ..conftest import give_totp
from ..deliberation.factories import OpinionFactory
from ..factories import CommitteeFactory, GridFactory, ResidencyFactory
from .conftest import DESKTOP, PHONE
from .people import person, sign_in
from .test_large_text_and_a11y import PHONE_200, problems_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKER, SUPERVISOR, CHAIR, RESIDENT, STAFF = (
    "13900000051",
    "13900000052",
    "13900000053",
    "13900000054",
    "13900000055",
)

# What each language calls what the test looks for.
WORDS = {
    "zh-hans": {"waiting": "待处理 {n} 项", "my_work": "我的工作"},
    "en": {"waiting": "{n} waiting", "my_work": "My work"},
}


@pytest.fixture
def community(wagtail_site):
    """幸福里居委会 with work waiting for each role: two address claims, a flagged
    opinion, a disclosure the supervision committee has to review."""
    committee = CommitteeFactory(name="幸福里居委会", community__name="东川路社区")
    grid = GridFactory(committee=committee, name="第一网格")
    person(WORKER, Role.GRID_WORKER, committee, grid=grid, real_name="赵敏")
    for official, role, name in (
        (SUPERVISOR, Role.SUPERVISOR, "赵德明"),
        (CHAIR, Role.CHAIR, "王红梅"),
        (STAFF, Role.STAFF, "刘洋"),
    ):
        give_totp(person(official, role, committee, real_name=name))
    person(RESIDENT, Role.RESIDENT, committee, grid=grid, real_name="陈晓明")
    for address in ("3栋2单元501", "5栋1单元302"):
        ResidencyFactory(committee=committee, grid=grid, address=address)
    OpinionFactory(
        committee=committee,
        grid=grid,
        title="3栋楼道灯坏了一个多月",
        seconds_count=31,
        flagged_at=timezone.now(),
    )
    board = wagtail_site.add_child(
        instance=DisclosureIndexPage(title="居务公开栏", slug="board", committee=committee)
    )
    draft = board.add_child(
        instance=DisclosurePage(
            title="2026年11月社区经费收支",
            live=False,
            category="funds",
            period_start="2026-11-01",
            period_end="2026-11-30",
            body="<p>十一月经费收支。</p>",
            shown_from="2026-12-01",
            shown_until="2026-12-20",
        )
    )
    draft.save_revision()
    draft.get_workflow().start(draft, committee.memberships.get(role=Role.STAFF).person)
    return committee


@pytest.fixture
def look(axe_check, screenshot):
    """Checks the page as it is: axe-core, then at 100% and at 200% text size nothing
    scrolls sideways and, on a phone, the bars keep their share and every target is
    44 px; a screenshot of each for people to look at."""

    def check(page, name: str, phone: bool):
        axe_check(page, name)
        problems = measure(page, f"{name} 100%", phone)
        screenshot(page, f"wayfinding-{name}-100")
        page.add_style_tag(content=PHONE_200)
        problems += measure(page, f"{name} 200%", phone)
        screenshot(page, f"wayfinding-{name}-200")
        assert not problems, "\n".join(problems)

    return check


def measure(page, where: str, phone: bool) -> list[str]:
    if phone:
        return problems_on(page, where)
    # A desktop has no bottom bar and a mouse: only sideways scrolling matters there.
    wide = page.evaluate("document.documentElement.scrollWidth > innerWidth")
    return [f"{where}: scrolls sideways"] if wide else []


def tool(page, key: str):
    """A tool in the "my work" card, found as a person sees it: by its link."""
    return page.locator(f".my-tools [data-tool='{key}']")


def to_me(page, phone: bool):
    """我的: the bottom bar's last tab on a phone, the person's name in the header on a
    desktop."""
    bar = ".bottom-nav" if phone else ".site-nav"
    page.locator(f"{bar} a[href='/me/']").click()
    page.wait_for_url(re.compile(r"/me/$"))


def to_my_community(page, phone: bool):
    bar = ".bottom-nav" if phone else ".site-nav"
    page.locator(f"{bar} a[href='/committees/mine/']").click()


CASES = [
    pytest.param(PHONE, "zh-hans", id="phone-zh"),
    pytest.param(DESKTOP, "en", id="desktop-en"),
]


@pytest.mark.parametrize(("viewport", "language"), CASES)
def test_every_role_finds_its_work_from_home_or_me(open_page, look, community, viewport, language):
    phone = viewport is PHONE
    words = WORDS[language]
    where = f"{language}-{'phone' if phone else 'desktop'}"

    # The grid worker: home page → the verification queue, with the two claims counted.
    worker = open_page(viewport=viewport, language=language)
    sign_in(worker, WORKER)
    worker.goto("/")
    assert worker.locator("#my-tools-title").inner_text() == words["my_work"]
    queue = tool(worker, "verify")
    assert words["waiting"].format(n=2) in queue.inner_text()
    look(worker, f"{where}-worker-home", phone)
    queue.get_by_role("link").click()
    worker.wait_for_url(re.compile(rf"/committees/{community.slug}/verify/$"))
    worker.get_by_text("3栋2单元501").wait_for()
    worker.get_by_text("5栋1单元302").wait_for()
    look(worker, f"{where}-worker-queue", phone)

    # The supervisor: 我的 → the supervision workspace, one disclosure waiting for review.
    supervisor = open_page(viewport=viewport, language=language)
    sign_in(supervisor, SUPERVISOR, totp=True)
    to_me(supervisor, phone)
    workspace = tool(supervisor, "audit")
    assert words["waiting"].format(n=1) in workspace.inner_text()
    look(supervisor, f"{where}-supervisor-me", phone)
    workspace.get_by_role("link").click()
    supervisor.wait_for_url(re.compile(r"/audit/$"))
    assert supervisor.locator(".stat").first.inner_text() == "1"
    look(supervisor, f"{where}-supervisor-workspace", phone)
    supervisor.locator("main a[href$='/reviews/']").first.click()
    supervisor.get_by_text("2026年11月社区经费收支").first.wait_for()

    # The chair: home page → the committee's dashboard, where the flagged opinion waits.
    chair = open_page(viewport=viewport, language=language)
    sign_in(chair, CHAIR, totp=True)
    chair.goto("/")
    tool(chair, "dashboard").get_by_role("link").click()
    chair.wait_for_url(re.compile(rf"/committees/{community.slug}/dashboard/$"))
    flagged = chair.locator("[data-warning='opinion-flagged']")
    assert "3栋楼道灯坏了一个多月" in flagged.inner_text()
    assert chair.locator("[data-warning='claims-waiting']").count() == 1
    assert chair.locator("[data-warning='disclosure-in-review']").count() == 1
    look(chair, f"{where}-chair-dashboard", phone)
    flagged.get_by_role("link", name="3栋楼道灯坏了一个多月").click()
    chair.wait_for_url(re.compile(r"/opinions/\d+/$"))

    # The verified resident: 我的社区 → the committee; 提意见 on home → the opinion form.
    resident = open_page(viewport=viewport, language=language)
    sign_in(resident, RESIDENT)
    resident.goto("/")
    assert resident.locator(".my-tools").count() == 0  # a resident has no tools to find
    look(resident, f"{where}-resident-home", phone)
    to_my_community(resident, phone)
    resident.wait_for_url(re.compile(rf"/committees/{community.slug}/$"))
    resident.get_by_role("heading", name="幸福里居委会").first.wait_for()
    look(resident, f"{where}-resident-committee", phone)
    resident.goto("/")
    resident.locator("[data-entry='opinion']").click()
    resident.wait_for_url(re.compile(rf"/committees/{community.slug}/opinions/new/$"))
    look(resident, f"{where}-resident-opinion-form", phone)
