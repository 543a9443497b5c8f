"""Demo disclosure boards: a few reviewed disclosures and one awaiting review."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from townhall.cms.models import HomePage
from townhall.community.models import Community, Membership, Role

from .cms_access import editors_group
from .models import DisclosureIndexPage, DisclosurePage, FigureLine

ITEMS = (
    (
        "{month}月社区工作经费收支",
        "funds",
        "<p>本月社区工作经费收支如下，票据可在居委会办公室查阅。</p>",
        (
            ("街道办拨付工作经费", "income", "8000"),
            ("楼道照明维修", "spending", "1260.50"),
            ("老年活动室取暖费", "spending", "2100"),
        ),
    ),
    (
        "加装电梯议事结果公示",
        "consultations",
        "<p>经议事会协商，3栋加装电梯方案获本单元三分之二以上住户同意，进入申报程序。</p>",
        (),
    ),
)
PENDING = (
    "慈善捐赠物资发放情况",
    "funds",
    "<p>“温暖过冬”捐赠棉被120床，已发放至困难家庭和独居老人。</p>",
    (("爱心企业捐赠（折价）", "income", "9600"), ("棉被发放", "spending", "9600")),
)


def _person(committee, role):
    """The demo login holding the role (138 0000 00xx) if in this committee, else the
    first holder."""
    holders = (
        Membership.objects.current()
        .filter(committee=committee, role=role)
        .select_related("person")
        .order_by("pk")
    )
    demo_login = holders.filter(person__phone__startswith="+86138000000").first()
    membership = demo_login or holders.first()
    return membership.person if membership else None


def _draft(board, title, category, body, figures, today):
    page = board.add_child(
        instance=DisclosurePage(
            title=title,
            slug=f"d{board.pk}-{DisclosurePage.objects.child_of(board).count() + 1}",
            category=category,
            period_start=(today.replace(day=1) - timedelta(days=1)).replace(day=1),
            period_end=today.replace(day=1) - timedelta(days=1),
            body=body,
            shown_from=today,
            shown_until=today + timedelta(days=20),
            live=False,
        )
    )
    for label, direction, amount in figures:
        page.figures.add(FigureLine(label=label, direction=direction, amount=Decimal(amount)))
    page.save_revision()
    return page


def disclosure_demo_load(community: Community) -> bool:
    """Boards for every committee of the demo community, once. Returns True if built.

    Publication goes the real way: staff submit, a supervisor of the committee approves
    (recorded in the ledger), approval publishes."""
    home = HomePage.objects.first()
    if home is None or DisclosureIndexPage.objects.filter(committee__community=community):
        return False
    today = timezone.localdate()
    with transaction.atomic():
        for committee in community.committees.order_by("pk"):
            board = home.add_child(
                instance=DisclosureIndexPage(
                    title=f"{committee.name}居务公开栏",
                    slug=f"gongkai-{committee.slug}",
                    committee=committee,
                )
            )
            staff = _person(committee, Role.STAFF)
            staff.groups.add(editors_group())
            supervisor = _person(committee, Role.SUPERVISOR)
            for title, category, body, figures in ITEMS:
                page = _draft(
                    board, title.format(month=today.month - 1 or 12), category, body, figures, today
                )
                state = page.get_workflow().start(page, staff).current_task_state
                state.task.specific.on_action(state, supervisor, "approve")
            if committee == community.committees.order_by("pk").first():
                page = _draft(board, *PENDING, today)
                page.get_workflow().start(page, staff)
    return True
