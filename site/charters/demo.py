"""Demo charters: each committee's residents' convention, amended once."""

from datetime import date

from django.db import transaction

from townhall.cms.models import HomePage
from townhall.community.models import Community, Membership, Role

from .models import CharterIndexPage, CharterKind, CharterPage
from .services import charter_version_adopt

CONVENTION_2021 = """第一条 爱护公共设施，不在楼道堆放杂物。
第二条 文明养犬，出门牵绳，及时清理。
第三条 垃圾分类投放，不乱扔垃圾。
第四条 邻里互助，关心独居老人。"""

CONVENTION_2026 = """第一条 爱护公共设施，不在楼道堆放杂物，不占用消防通道。
第二条 文明养犬，出门牵绳，及时清理。
第三条 垃圾分类投放，不乱扔垃圾。
第四条 邻里互助，关心独居老人和困难家庭。
第五条 电动自行车不进楼道，不在室内充电。"""


def charter_demo_load(community: Community) -> bool:
    """A charters index per committee with its convention (two versions, so that the
    compare page has something to show), once. Returns True if built."""
    home = HomePage.objects.first()
    if home is None or CharterIndexPage.objects.filter(committee__community=community):
        return False
    with transaction.atomic():
        for committee in community.committees.order_by("pk"):
            index = home.add_child(
                instance=CharterIndexPage(
                    title=f"{committee.name}章程制度",
                    slug=f"zhangcheng-{committee.slug}",
                    committee=committee,
                )
            )
            page = index.add_child(
                instance=CharterPage(
                    title="居民公约", slug="jumin-gongyue", kind=CharterKind.CONVENTION
                )
            )
            chair = (
                Membership.objects.current()
                .filter(committee=committee, role=Role.CHAIR)
                .select_related("person")
                .first()
            )
            by = chair.person if chair else None
            charter_version_adopt(
                page=page,
                text=CONVENTION_2021,
                effective_from=date(2021, 7, 1),
                adopted_on=date(2021, 6, 20),
                adoption_reference="2021年第1次居民会议决议",
                by=by,
            )
            charter_version_adopt(
                page=page,
                text=CONVENTION_2026,
                effective_from=date(2026, 5, 1),
                adopted_on=date(2026, 4, 18),
                adoption_reference="2026年第1次居民会议决议",
                by=by,
            )
    return True
