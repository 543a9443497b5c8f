"""Reads about the community structure that take more than one line."""

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from townhall.accounts.models import User

from . import rules
from .models import (
    COMMITTEE_ROLES,
    CloseRelative,
    Community,
    Grid,
    Membership,
    Residency,
    ResidentsCommittee,
    Role,
)


def holds_role(person: User, committee: ResidentsCommittee, roles: Iterable[str]) -> bool:
    return (
        Membership.objects.current()
        .filter(person=person, committee=committee, role__in=list(roles))
        .exists()
    )


def relative_ids(person: User) -> set[int]:
    pairs = CloseRelative.objects.filter(Q(person=person) | Q(relative=person)).values_list(
        "person_id", "relative_id"
    )
    return {pid for pair in pairs for pid in pair} - {person.pk}


def relatives_holding(person: User, committee: ResidentsCommittee, roles: Iterable[str]) -> int:
    return (
        Membership.objects.current()
        .filter(person_id__in=relative_ids(person), committee=committee, role__in=list(roles))
        .values("person_id")
        .distinct()
        .count()
    )


def committee_member_count(committee: ResidentsCommittee, exclude: Membership | None = None) -> int:
    qs = Membership.objects.current().filter(committee=committee, role__in=COMMITTEE_ROLES)
    if exclude is not None:
        # Someone already sitting (a member made chair) takes no extra seat.
        qs = qs.exclude(Q(pk=exclude.pk) | Q(person_id=exclude.person_id))
    return qs.values("person_id").distinct().count()


def committees_of(*people: User) -> QuerySet[ResidentsCommittee]:
    return ResidentsCommittee.objects.filter(
        memberships__person__in=people, memberships__role__in=[*COMMITTEE_ROLES, Role.SUPERVISOR]
    ).distinct()


def committee_composition(committee: ResidentsCommittee) -> list[rules.Verdict]:
    """The law's composition checks for one committee, for the admin's warnings."""
    current = Membership.objects.current().filter(committee=committee)
    members = current.filter(role__in=COMMITTEE_ROLES).values("person_id").distinct()
    women = members.filter(person__gender="F")
    representatives = current.filter(role=Role.REPRESENTATIVE).values("person_id").distinct()
    return [
        rules.committee_composition(members=members.count(), women=women.count()),
        rules.representatives_share(
            representatives=representatives.count(), committee_members=members.count()
        ),
    ]


def community_for_home() -> Community | None:
    return Community.objects.order_by("pk").first()


def committees_overview(community: Community) -> QuerySet[ResidentsCommittee]:
    """Each committee with its grid and verified-resident counts, in one query."""
    return community.committees.annotate(
        grid_count=Count("grids", distinct=True),
        resident_count=Count(
            "memberships__person",
            filter=Q(memberships__role=Role.RESIDENT, memberships__end__isnull=True),
            distinct=True,
        ),
    )


def committee_officials(committee: ResidentsCommittee) -> QuerySet[Membership]:
    """Committee and supervision members: public office holders, listed on the page."""
    return (
        Membership.objects.current()
        .filter(committee=committee, role__in=[*COMMITTEE_ROLES, Role.SUPERVISOR])
        .select_related("person")
        .order_by("role", "person__real_name")
    )


def grids_with_workers(committee: ResidentsCommittee) -> QuerySet[Grid]:
    """Grids with their household counts and current grid workers, in two queries."""
    workers = Prefetch(
        "memberships",
        queryset=Membership.objects.current()
        .filter(role=Role.GRID_WORKER)
        .select_related("person"),
        to_attr="workers",
    )
    return committee.grids.annotate(household_count=Count("households")).prefetch_related(workers)


def pending_claims(committee: ResidentsCommittee) -> QuerySet[Residency]:
    return (
        Residency.objects.filter(committee=committee, status=Residency.Status.PENDING)
        .select_related("person", "grid")
        .order_by("claimed_at")
    )


def residency_of(person: User, committee: ResidentsCommittee) -> Residency | None:
    return (
        Residency.objects.filter(person=person, committee=committee).order_by("-claimed_at").first()
    )


def committees_where(person: User, roles: Iterable[str]) -> QuerySet[ResidentsCommittee]:
    return ResidentsCommittee.objects.filter(
        pk__in=Membership.objects.current()
        .filter(person=person, role__in=list(roles))
        .values("committee_id")
    )


def roles_of_person(person: User) -> QuerySet[Membership]:
    return Membership.objects.current().filter(person=person).select_related("committee", "grid")


def people_holding(committee: ResidentsCommittee, roles: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.current()
        .filter(committee=committee, role__in=list(roles))
        .values("person_id")
    )


def home_committee(person: User) -> ResidentsCommittee | None:
    """The committee a person belongs to: where they are a verified resident (the latest),
    else where they hold another role; None for someone not verified anywhere yet."""
    memberships = (
        Membership.objects.current()
        .filter(person=person)
        .select_related("committee")
        .order_by("-start", "-pk")
    )
    residence = next((m for m in memberships if m.role == Role.RESIDENT), None)
    chosen = residence or next(iter(memberships), None)
    return chosen.committee if chosen else None


def residence_committee(person: User) -> ResidentsCommittee | None:
    """Where the person is a verified resident (the latest), or None."""
    membership = (
        Membership.objects.current()
        .filter(person=person, role=Role.RESIDENT)
        .select_related("committee")
        .order_by("-start", "-pk")
        .first()
    )
    return membership.committee if membership else None


def residents_registered_by(person: User, committees) -> QuerySet[Residency]:
    """The residents this grid worker or staff member registered on their behalf, in the
    committees where they still may (the register holds real names and addresses)."""
    return (
        Residency.objects.filter(assisted_by=person, committee__in=committees)
        .select_related("person", "committee", "grid")
        .order_by("-claimed_at", "-pk")
    )
