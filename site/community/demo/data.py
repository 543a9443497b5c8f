"""The demo's fixed tables: its place, its logins, the names it draws from, its sizes."""

from dataclasses import dataclass

from townhall.accounts.models import Gender

from ..models import Role

SEED = 20261126
COMMUNITY_SLUG = "chengdong-demo"
PASSWORD = "townhall-demo-2026"

# The demo is a scaled-down community: ~100 verified residents per committee where a
# real one has a thousand households or more. The law's ratios are kept, not its
# absolute numbers: 5 committee members (Art 17: 5-9, at least one woman) and 20
# representatives, so representatives are 20 of 25 = exactly 4/5 of the
# representatives' assembly (Art 29).
RESIDENTS_PER_COMMITTEE = 100
COMMITTEE_MEMBERS = 5  # the chair and four members
REPRESENTATIVES = 20
SUPERVISORS = 3
STAFF = 2
PENDING_CLAIMS = 3  # so that each grid worker's verification queue has work in it
ASSISTED = 2  # elderly residents a grid worker registered in person


# --- The place ----------------------------------------------------------------------


@dataclass(frozen=True)
class Estate:
    """A residential estate (小区) and the shape of its buildings, for addresses."""

    name: str
    buildings: int
    units: int
    floors: int
    flats_per_floor: int


@dataclass(frozen=True)
class CommitteeSpec:
    name: str
    slug: str
    office_address: str
    grids: tuple[tuple[str, Estate], ...]


COMMUNITY = {
    "name": "晨曦路社区",
    "slug": COMMUNITY_SLUG,
    "district": "城东区",
    "city": "西宁市",
    "description": (
        "晨曦路社区下设幸福里、和平巷、康乐苑三个居委会、六个网格。"
        "演示数据：社区、小区、人名和地址均为虚构。"
        "(Demo data: the community, estates, names and addresses are all fictional.)"
    ),
}

COMMITTEES = (
    CommitteeSpec(
        "幸福里居委会",
        "xingfuli",
        "幸福里小区1栋一楼",
        (
            # An older estate of six-storey walk-ups, and a newer one of towers.
            ("第一网格（幸福里小区）", Estate("幸福里小区", 12, 3, 6, 2)),
            ("第二网格（金桂园小区）", Estate("金桂园小区", 8, 2, 18, 4)),
        ),
    ),
    CommitteeSpec(
        "和平巷居委会",
        "hepingxiang",
        "和平巷小区4栋底商",
        (
            ("第三网格（和平巷小区）", Estate("和平巷小区", 10, 3, 6, 2)),
            ("第四网格（翠柳苑小区）", Estate("翠柳苑小区", 6, 2, 11, 2)),
        ),
    ),
    CommitteeSpec(
        "康乐苑居委会",
        "kangleyuan",
        "康乐苑小区南门东侧",
        (
            ("第五网格（康乐苑小区）", Estate("康乐苑小区", 9, 3, 7, 2)),
            ("第六网格（晨曦家园小区）", Estate("晨曦家园小区", 7, 2, 26, 4)),
        ),
    ),
)

SOCIAL_ORGANIZATIONS = (
    ("夕阳红志愿服务队", "志愿服务队 (volunteer team)", "晨曦路社区党群服务中心 活动室"),
    ("和谐家园物业服务中心", "物业服务企业 (property manager)", "幸福里小区南门 物业服务中心"),
)


# --- The people who log in ----------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    phone: str  # as typed; stored as +86…
    role: str  # a Role value, or "admin"
    label: str
    real_name: str
    display_name: str

    @property
    def stored_phone(self) -> str:
        return "+86" + self.phone


ADMIN = "admin"
DEMO_LOGINS = (
    DemoLogin("13800000001", Role.RESIDENT, "居民 (resident)", "张秀兰", "热心的张阿姨"),
    DemoLogin(
        "13800000002", Role.REPRESENTATIVE, "居民代表 (resident representative)", "李海涛", "老李"
    ),
    DemoLogin("13800000003", Role.MEMBER, "居委会委员 (committee member)", "陈晓燕", "小陈"),
    DemoLogin("13800000004", Role.CHAIR, "居委会主任 (committee chair)", "王红梅", "王主任"),
    DemoLogin(
        "13800000005",
        Role.SUPERVISOR,
        "居务监督委员会成员 (supervision committee member)",
        "赵德明",
        "退休的赵老师",
    ),
    DemoLogin("13800000006", Role.STAFF, "社区工作者 (community staff)", "周敏", "社工小周"),
    DemoLogin("13800000007", Role.GRID_WORKER, "网格员 (grid worker)", "马骏", "网格员小马"),
    DemoLogin("13800000000", ADMIN, "系统管理员 (admin: /cms/, /django-admin/)", "孙立新", ""),
)
_LOGIN = {login.role: login for login in DEMO_LOGINS}
DEMO_RESIDENT_ADDRESS = "3栋2单元501"  # in the first grid's estate, 幸福里小区


# --- Names --------------------------------------------------------------------------

# Common surnames, most frequent first: the first ten are drawn three times as often as
# the last, the next ten twice.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟"
)
_SURNAME_WEIGHTS = [3 if i < 10 else 2 if i < 20 else 1 for i in range(len(SURNAMES))]

ELDER, MIDDLE, YOUNG = "elder", "middle", "young"  # 60+, 35-59, 18-34
GIVEN_NAMES = {
    Gender.FEMALE: {
        ELDER: "秀英 桂英 秀兰 玉兰 桂兰 凤英 淑珍 玉珍 秀珍 素芳 桂芳 兰英 玉梅 淑华",
        MIDDLE: "丽 芳 敏 静 艳 丽娟 红梅 海燕 丽华 晓燕 雪梅 春梅 玉红 丽萍 秀梅 慧 娟",
        YOUNG: "欣怡 雨婷 思琪 梓涵 佳怡 诗涵 婷婷 雪 晨 悦 可馨 子涵 梦瑶 雨欣 欣然",
    },
    Gender.MALE: {
        ELDER: "建国 国强 建华 志刚 德明 国庆 振华 福生 永福 国华 保国 德胜 宝山 长林",
        MIDDLE: "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 辉 海涛 建军 志强 海峰 晓东 文斌 立新",
        YOUNG: "浩然 子轩 宇轩 浩宇 俊熙 梓豪 一鸣 博文 皓轩 子豪 明轩 宇航 天佑 思远",
    },
}

# Nicknames residents pick for themselves; {s} is the surname. Blank for about a third,
# so the masked real name (王**) shows instead.
NICKNAMES = {
    (Gender.FEMALE, ELDER): ("{s}阿姨", "{s}奶奶", "热心的{s}阿姨", "跳广场舞的{s}阿姨", "{s}大妈"),
    (Gender.MALE, ELDER): ("老{s}", "{s}大爷", "{s}叔", "下棋的老{s}", "退休的{s}师傅"),
    (Gender.FEMALE, MIDDLE): ("{s}姐", "{s}女士", "二单元{s}姐", "{s}老师"),
    (Gender.MALE, MIDDLE): ("老{s}", "{s}哥", "{s}师傅", "{s}先生"),
    (Gender.FEMALE, YOUNG): ("小{s}", "楼下的小{s}", "晨跑的小{s}"),
    (Gender.MALE, YOUNG): ("小{s}", "新来的小{s}", "{s}同学"),
}
FREE_NICKNAMES = ("向日葵", "岁月静好", "一只橘猫", "清风徐来", "老街坊", "知足常乐", "夜跑人")

MOBILE_PREFIXES = (133, 135, 136, 137, 139, 150, 151, 152, 158, 159, 177, 183, 186, 187, 188, 199)
