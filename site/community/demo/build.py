"""Writes the demo community to the database through the services, in one transaction."""

import random
from collections.abc import Collection

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from townhall.accounts.models import ConsentRecord, Gender, User

from .. import selectors, services
from ..models import (
    CloseRelative,
    Community,
    Grid,
    Household,
    Residency,
    ResidentsCommittee,
    Role,
    SocialOrganization,
)
from .data import (
    _LOGIN,
    ADMIN,
    ASSISTED,
    COMMITTEES,
    COMMUNITY,
    COMMUNITY_SLUG,
    DEMO_LOGINS,
    MIDDLE,
    PASSWORD,
    PENDING_CLAIMS,
    SEED,
    SOCIAL_ORGANIZATIONS,
    STAFF,
    YOUNG,
    CommitteeSpec,
)
from .plan import (
    HouseholdPlan,
    Person,
    RolePlan,
    _Addresses,
    _login_person,
    _Namer,
    _plan_households,
    _plan_roles,
)

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
