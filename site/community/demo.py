"""A believable, deterministic demo community for local runs and demos (`manage.py load_demo`)."""

import random
from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from townhall.accounts.models import ConsentRecord, Gender, User

from . import selectors, services
from .models import (
    CloseRelative,
    Community,
    Grid,
    Household,
    Relation,
    Residency,
    ResidentsCommittee,
    Role,
    SocialOrganization,
)

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


# --- The plan: households and people, before anything is written --------------------


@dataclass(eq=False)  # people are compared by identity: two 王伟 are two people
class Person:
    real_name: str
    gender: str
    age: str
    display_name: str = ""
    phone: str | None = None
    household: "HouseholdPlan | None" = None
    login: DemoLogin | None = None
    # (other person, how the other is related to this one), e.g. (wife, SPOUSE).
    relatives: list[tuple["Person", str]] = field(default_factory=list)
    user: User | None = None

    @property
    def surname(self) -> str:
        return self.real_name[0]


@dataclass(eq=False)
class HouseholdPlan:
    grid_index: int
    address: str
    people: list[Person] = field(default_factory=list)


class _Namer:
    """Draws names, nicknames and mobile numbers from the seeded generator, never
    repeating a full name or a number."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names_used = {login.real_name for login in DEMO_LOGINS}
        self.phones_used = {login.stored_phone for login in DEMO_LOGINS}

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]

    def person(self, gender: str, age: str, surname: str | None = None) -> Person:
        for _attempt in range(50):
            name = (surname or self.surname()) + self.rng.choice(GIVEN_NAMES[gender][age].split())
            if name not in self.names_used:
                break
        self.names_used.add(name)
        return Person(
            real_name=name,
            gender=gender,
            age=age,
            display_name=self.nickname(name[0], gender, age),
            phone=self.phone() if age != ELDER or self.rng.random() < 0.6 else None,
        )

    def nickname(self, surname: str, gender: str, age: str) -> str:
        draw = self.rng.random()
        if draw < 0.35:
            return ""
        if draw < 0.42:
            return self.rng.choice(FREE_NICKNAMES)
        return self.rng.choice(NICKNAMES[gender, age]).format(s=surname)

    def phone(self) -> str:
        while True:
            number = f"+86{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if number not in self.phones_used:
                self.phones_used.add(number)
                return number


def _relate(one: Person, other: Person, relation: str) -> None:
    one.relatives.append((other, relation))


def _family(namer: _Namer, kind: str) -> list[Person]:
    """The adults of one household. Wives keep their own surname; children take
    their father's."""
    rng, F, M = namer.rng, Gender.FEMALE, Gender.MALE
    if kind == "single_elder":
        return [namer.person(rng.choice([F, F, M]), ELDER)]
    if kind == "single_young":  # often a tenant without local hukou, a resident all the same
        return [namer.person(rng.choice([F, M]), YOUNG)]
    if kind == "roommates":
        return [namer.person(rng.choice([F, M]), YOUNG), namer.person(rng.choice([F, M]), YOUNG)]
    age = {"elder_couple": ELDER, "young_couple": YOUNG}.get(kind, MIDDLE)
    husband, wife = namer.person(M, age), namer.person(F, age)
    _relate(husband, wife, Relation.SPOUSE)
    people = [husband, wife]
    if kind in ("family", "three_generations"):
        child = namer.person(rng.choice([F, M]), YOUNG, surname=husband.surname)
        for parent in (husband, wife):
            _relate(parent, child, Relation.CHILD)
        people.append(child)
    if kind == "three_generations":
        grandmother = namer.person(F, ELDER, surname=husband.surname)
        _relate(grandmother, husband, Relation.CHILD)
        people.insert(0, grandmother)
    if kind == "with_wifes_mother":
        mother = namer.person(F, ELDER)
        _relate(mother, wife, Relation.CHILD)
        people.append(mother)
    return people


HOUSEHOLD_KINDS = {
    # kind: weight; about 2.3 adults per household on average
    "single_elder": 10,
    "elder_couple": 18,
    "single_young": 10,
    "young_couple": 12,
    "family": 22,
    "three_generations": 10,
    "with_wifes_mother": 8,
    "roommates": 5,
}


class _Addresses:
    """Hands out distinct flats (3栋2单元501) in a grid's estate."""

    def __init__(self, rng: random.Random, estate: Estate):
        self.rng, self.estate, self.taken = rng, estate, set()

    def take(self, address: str) -> str:
        self.taken.add(address)
        return address

    def draw(self) -> str:
        e = self.estate
        while True:
            address = (
                f"{self.rng.randint(1, e.buildings)}栋{self.rng.randint(1, e.units)}单元"
                f"{self.rng.randint(1, e.floors)}{self.rng.randint(1, e.flats_per_floor):02d}"
            )
            if address not in self.taken:
                return self.take(address)


def _login_person(role: str, age: str, gender: str) -> Person:
    login = _LOGIN[role]
    return Person(login.real_name, gender, age, login.display_name, login.stored_phone, login=login)


def _demo_households(namer: _Namer) -> list[HouseholdPlan]:
    """The households of the first committee that the demo logins live in."""
    F, M = Gender.FEMALE, Gender.MALE
    resident = _login_person(Role.RESIDENT, ELDER, F)
    resident_husband = Person("刘建国", M, ELDER, "老刘", namer.phone())
    _relate(resident, resident_husband, Relation.SPOUSE)

    representative = _login_person(Role.REPRESENTATIVE, MIDDLE, M)
    representative_wife = Person("何丽萍", F, MIDDLE, "", namer.phone())
    representative_daughter = Person("李欣怡", F, YOUNG, "小李", namer.phone())
    _relate(representative, representative_wife, Relation.SPOUSE)

    chair = _login_person(Role.CHAIR, MIDDLE, F)
    chair_husband = Person("郭志强", M, MIDDLE, "郭师傅", namer.phone())
    chair_son = Person("郭子轩", M, YOUNG, "", namer.phone())
    _relate(chair, chair_husband, Relation.SPOUSE)
    _relate(chair, chair_son, Relation.CHILD)

    member = _login_person(Role.MEMBER, YOUNG, F)
    member_husband = Person("吴浩然", M, YOUNG, "", namer.phone())
    _relate(member, member_husband, Relation.SPOUSE)

    supervisor = _login_person(Role.SUPERVISOR, ELDER, M)
    supervisor_wife = Person("孙桂英", F, ELDER, "孙奶奶", None)
    _relate(supervisor, supervisor_wife, Relation.SPOUSE)

    namer.names_used.update(("刘建国", "何丽萍", "李欣怡", "郭志强", "郭子轩", "吴浩然", "孙桂英"))
    return [
        HouseholdPlan(0, DEMO_RESIDENT_ADDRESS, [resident, resident_husband]),
        HouseholdPlan(
            0, "5栋1单元302", [representative, representative_wife, representative_daughter]
        ),
        HouseholdPlan(0, "1栋3单元201", [chair, chair_husband, chair_son]),
        HouseholdPlan(1, "2栋1单元1203", [member, member_husband]),
        HouseholdPlan(1, "6栋2单元803", [supervisor, supervisor_wife]),
    ]


def _plan_households(
    namer: _Namer, spec: CommitteeSpec, first: bool
) -> tuple[list[HouseholdPlan], list[_Addresses]]:
    rng = namer.rng
    addresses = [_Addresses(rng, estate) for _name, estate in spec.grids]
    households = _demo_households(namer) if first else []
    for household in households:
        addresses[household.grid_index].take(household.address)
    count = sum(len(h.people) for h in households)
    kinds, weights = list(HOUSEHOLD_KINDS), list(HOUSEHOLD_KINDS.values())
    while count < RESIDENTS_PER_COMMITTEE:
        grid_index = len(households) % len(spec.grids)
        people = _family(namer, rng.choices(kinds, weights=weights)[0])
        people = people[: RESIDENTS_PER_COMMITTEE - count]
        household = HouseholdPlan(grid_index, addresses[grid_index].draw(), people)
        households.append(household)
        count += len(people)
    for household in households:
        for person in household.people:
            person.household = household
    return households, addresses


@dataclass
class RolePlan:
    chair: Person
    members: list[Person]
    supervisors: list[Person]
    representatives: list[Person]


def _plan_roles(rng: random.Random, households: list[HouseholdPlan], grids: int) -> RolePlan:
    """Pick office holders so that the law holds: no supervisor shares a household (and
    so a recorded close relationship) with a committee member, and the committee has
    women on it."""
    by_login = {p.login.role: p for h in households for p in h.people if p.login}
    adults = [p for h in households for p in h.people if p.login is None]

    def pick(pool: list[Person], n: int, avoid: set[HouseholdPlan]) -> list[Person]:
        """n people from n different households, none of them in `avoid` (updated)."""
        chosen: list[Person] = []
        for person in rng.sample(pool, len(pool)):
            if len(chosen) == n:
                break
            if person.household not in avoid:
                chosen.append(person)
                avoid.add(person.household)
        return chosen

    taken: set[HouseholdPlan] = set()  # households of committee members and supervisors
    seasoned = [p for p in adults if p.age != YOUNG]
    if by_login:
        chair = by_login[Role.CHAIR]
        members = [by_login[Role.MEMBER]]
        supervisors = [by_login[Role.SUPERVISOR]]
        taken |= {p.household for p in (chair, *members, *supervisors)}
    else:
        women = [p for p in seasoned if p.gender == Gender.FEMALE]
        chair, *members = pick(women, 2, taken)
        supervisors = []
    members += pick(seasoned, COMMITTEE_MEMBERS - 1 - len(members), taken)
    supervisors += pick(seasoned, SUPERVISORS - len(supervisors), taken)

    officials = {chair, *members, *supervisors}
    representatives = [by_login[Role.REPRESENTATIVE]] if by_login else []
    per_grid = REPRESENTATIVES // grids
    for grid_index in range(grids):
        in_grid = [
            p
            for p in adults
            if p.household.grid_index == grid_index
            and p not in officials
            and p not in representatives
        ]
        have = sum(1 for p in representatives if p.household.grid_index == grid_index)
        # One representative per household: each household (户) has one voice.
        represented = {p.household for p in representatives}
        representatives += pick(in_grid, per_grid - have, represented)
    return RolePlan(chair, members, supervisors, representatives)


# --- Writing ------------------------------------------------------------------------


def demo_community() -> Community | None:
    return Community.objects.filter(slug=COMMUNITY_SLUG).first()


def demo_load() -> tuple[Community, bool]:
    """The demo community, built on first call; (community, created)."""
    with transaction.atomic():
        community = demo_community()
        if community is not None:
            return community, False
        return demo_build(), True


def demo_build() -> Community:
    """Build the whole demo in one transaction. Same seed, same community: names,
    addresses and roles come out identical on every fresh database."""
    clashes = User.objects.filter(
        phone__in=[login.stored_phone for login in DEMO_LOGINS]
    ).values_list("phone", flat=True)
    if clashes:
        raise ValueError(f"These demo mobile numbers are already taken: {', '.join(clashes)}")
    rng = random.Random(SEED)
    namer = _Namer(rng)
    password = make_password(PASSWORD)  # hashed once: hashing is the slow part
    with transaction.atomic():
        community = Community.objects.create(**COMMUNITY)
        for name, kind, contact in SOCIAL_ORGANIZATIONS:
            SocialOrganization.objects.create(
                community=community, name=name, kind=kind, contact=contact
            )
        for index, spec in enumerate(COMMITTEES):
            _committee_build(community, spec, namer, password, first=index == 0)
        _admin_create(password)
    return community


def _admin_create(password: str) -> User:
    login = _LOGIN[ADMIN]
    admin = User.objects.create(
        # The username is the number as typed, so the Django and Wagtail admin sign-in
        # forms (which ask for a username) take the same number as the site's.
        username=login.phone,
        password=password,
        real_name=login.real_name,
        phone=login.stored_phone,
        phone_verified=True,
        is_staff=True,
        is_superuser=True,
    )
    ConsentRecord.objects.create(user=admin, notice_version=settings.PRIVACY_NOTICE_VERSION)
    return admin


def _users_bulk_create(
    people: list[Person], password: str, prefix: str, gendered: Collection[Person] = ()
) -> None:
    """Accounts as sign-up leaves them (there is no sign-up service: allauth's form does
    it), written in bulk with their consent records. Demo logins get the demo password
    and their number as username; everyone else cannot log in. Only committee members'
    gender is kept: the law's woman-on-the-committee rule is the only reason to ask."""
    users = []
    for n, person in enumerate(people, start=1):
        users.append(
            User(
                username=person.login.phone if person.login else f"{prefix}-{n:03d}",
                password=password if person.login else make_password(None),
                real_name=person.real_name,
                display_name=person.display_name,
                gender=person.gender if person in gendered else "",
                phone=person.phone,
                phone_verified=person.phone is not None,
            )
        )
    User.objects.bulk_create(users)
    # SQLite and PostgreSQL both return primary keys from bulk_create.
    for person, user in zip(people, users, strict=True):
        person.user = user
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user=user, notice_version=settings.PRIVACY_NOTICE_VERSION) for user in users
    )


def _committee_build(
    community: Community, spec: CommitteeSpec, namer: _Namer, password: str, *, first: bool
) -> ResidentsCommittee:
    committee = ResidentsCommittee.objects.create(
        community=community, name=spec.name, slug=spec.slug, office_address=spec.office_address
    )
    grids = [
        Grid.objects.create(
            committee=committee, name=name, area=f"{estate.name} 1—{estate.buildings}栋"
        )
        for name, estate in spec.grids
    ]
    workers = _workers_build(committee, grids, namer, password, first=first)
    households, addresses = _plan_households(namer, spec, first)
    roles = _plan_roles(namer.rng, households, len(grids))
    _residents_build(committee, grids, workers, households, roles, password)
    _offices_grant(committee, grids, households, roles)
    _claims_build(committee, grids, workers, addresses, namer, password, spec)
    for verdict in selectors.committee_composition(committee):
        if not verdict:  # the numbers at the top were chosen to satisfy the law
            raise AssertionError(f"{committee}: {verdict.reason}")
    return committee


def _workers_build(
    committee: ResidentsCommittee, grids: list[Grid], namer: _Namer, password: str, *, first: bool
) -> list[Person]:
    """Community staff and one grid worker per grid: they serve the committee without
    (necessarily) living in it. Returns the grid workers, in grid order."""
    rng, either = namer.rng, (Gender.FEMALE, Gender.MALE)
    staff = [namer.person(rng.choice(either), MIDDLE) for _ in range(STAFF)]
    workers = [namer.person(rng.choice(either), YOUNG) for _ in grids]
    for person in (*staff, *workers):
        person.phone = person.phone or namer.phone()
    if first:
        staff[0] = _login_person(Role.STAFF, MIDDLE, Gender.FEMALE)
        workers[0] = _login_person(Role.GRID_WORKER, YOUNG, Gender.MALE)
    _users_bulk_create([*staff, *workers], password, f"{committee.slug}-staff")
    for person in staff:
        services.membership_grant(person=person.user, committee=committee, role=Role.STAFF)
    for person, grid in zip(workers, grids, strict=True):
        services.membership_grant(
            person=person.user, committee=committee, role=Role.GRID_WORKER, grid=grid
        )
    return workers


def _residents_build(
    committee: ResidentsCommittee,
    grids: list[Grid],
    workers: list[Person],
    households: list[HouseholdPlan],
    roles: RolePlan,
    password: str,
) -> None:
    """Each resident claims their flat and their grid's worker verifies it, as in the
    app; elderly people living alone without a phone were registered in person."""
    assisted = [
        h.people[0]
        for h in households
        if len(h.people) == 1 and h.people[0].phone is None and h.people[0].login is None
    ][:ASSISTED]
    signed_up = [p for h in households for p in h.people if p not in assisted]
    _users_bulk_create(signed_up, password, committee.slug, gendered={roles.chair, *roles.members})
    for household in households:
        grid, worker = grids[household.grid_index], workers[household.grid_index].user
        for person in household.people:
            if person in assisted:
                person.user = services.resident_register_assisted(
                    by=worker,
                    committee=committee,
                    grid=grid,
                    address=household.address,
                    real_name=person.real_name,
                    display_name=person.display_name,
                )
                continue
            residency = services.residency_claim(
                person=person.user, committee=committee, grid=grid, address=household.address
            )
            services.residency_approve(residency=residency, by=worker)


def _offices_grant(
    committee: ResidentsCommittee,
    grids: list[Grid],
    households: list[HouseholdPlan],
    roles: RolePlan,
) -> None:
    """Record office holders' close relatives (what the Art 36 check reads), then grant
    the offices through the service that enforces it."""
    officials = [roles.chair, *roles.members, *roles.supervisors]
    for household in dict.fromkeys(p.household for p in officials):  # ordered, no repeats
        for person in household.people:
            for relative, relation in person.relatives:
                link = CloseRelative(person=person.user, relative=relative.user, relation=relation)
                link.full_clean()  # runs close_relative_validate, the law's conflict check
                link.save()

    services.membership_grant(person=roles.chair.user, committee=committee, role=Role.CHAIR)
    for person in roles.members:
        services.membership_grant(person=person.user, committee=committee, role=Role.MEMBER)
    for person in roles.supervisors:
        services.membership_grant(person=person.user, committee=committee, role=Role.SUPERVISOR)
    homes = {(h.grid_id, h.address): h for h in Household.objects.filter(grid__committee=committee)}
    for person in roles.representatives:
        grid = grids[person.household.grid_index]
        services.membership_grant(
            person=person.user,
            committee=committee,
            role=Role.REPRESENTATIVE,
            grid=grid,
            household=homes[grid.pk, person.household.address],
        )


def _claims_build(
    committee: ResidentsCommittee,
    grids: list[Grid],
    workers: list[Person],
    addresses: list[_Addresses],
    namer: _Namer,
    password: str,
    spec: CommitteeSpec,
) -> None:
    """Newcomers awaiting verification, and one claim turned down with a reason."""
    rng = namer.rng
    newcomers = [
        namer.person(rng.choice([Gender.FEMALE, Gender.MALE]), rng.choice([YOUNG, MIDDLE]))
        for _ in range(PENDING_CLAIMS + 1)
    ]
    for person in newcomers:
        person.phone = person.phone or namer.phone()
    _users_bulk_create(newcomers, password, f"{committee.slug}-new")
    *pending, rejected = newcomers
    for n, person in enumerate(pending):
        grid_index = n % len(grids)
        services.residency_claim(
            person=person.user,
            committee=committee,
            grid=grids[grid_index],
            address=addresses[grid_index].draw(),
        )
    estate = spec.grids[0][1]
    claim = services.residency_claim(
        person=rejected.user,
        committee=committee,
        grid=grids[0],
        address=f"{estate.buildings + 3}栋1单元402",
    )
    services.residency_reject(
        residency=claim,
        by=workers[0].user,
        reason=(
            f"{estate.name}只有1—{estate.buildings}栋，请核对楼栋号后重新申报。"
            f"({estate.name} has buildings 1 to {estate.buildings} only; please check "
            "the building number and claim again.)"
        ),
    )


def demo_counts() -> dict[str, int]:
    """What the demo holds, for the command's summary line."""
    community = demo_community()
    if community is None:
        return {}
    committees = community.committees.all()
    return {
        "committees": committees.count(),
        "grids": Grid.objects.filter(committee__in=committees).count(),
        "households": Household.objects.filter(grid__committee__in=committees).count(),
        "residents": Residency.objects.filter(
            committee__in=committees, status=Residency.Status.APPROVED
        ).count(),
        "pending": Residency.objects.filter(
            committee__in=committees, status=Residency.Status.PENDING
        ).count(),
    }
