"""Plans the demo's households, people and offices from the seed; writes nothing."""

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from townhall.accounts.models import Gender

from ..models import Relation, Role
from .data import (
    _LOGIN,
    _SURNAME_WEIGHTS,
    COMMITTEE_MEMBERS,
    DEMO_LOGINS,
    DEMO_RESIDENT_ADDRESS,
    ELDER,
    FREE_NICKNAMES,
    GIVEN_NAMES,
    MIDDLE,
    MOBILE_PREFIXES,
    NICKNAMES,
    REPRESENTATIVES,
    RESIDENTS_PER_COMMITTEE,
    SUPERVISORS,
    SURNAMES,
    YOUNG,
    CommitteeSpec,
    DemoLogin,
    Estate,
)

if TYPE_CHECKING:
    from townhall.accounts.models import User


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
    user: "User | None" = None

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
