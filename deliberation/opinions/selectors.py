"""Reads about opinions: the public list, one opinion's page, seconds and thresholds, and
the residents a grid worker may record an opinion for."""

from fractions import Fraction

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from townhall.community.models import Household, Membership, ResidentsCommittee, Role

from .. import rules
from .models import Opinion, OpinionStatusChange, Second

SORTS = {
    "newest": ("-submitted_at", "-pk"),
    "seconds": ("-seconds_count", "-submitted_at", "-pk"),
}


def opinion_list(
    committee: ResidentsCommittee,
    *,
    status: str = "",
    category: str = "",
    grid=None,
    sort: str = "newest",
) -> QuerySet[Opinion]:
    """The committee's opinions, filtered and sorted; each row's grid, author and
    recorder come in the same query (a page costs one query, whatever its length)."""
    opinions = Opinion.objects.filter(committee=committee).select_related(
        "committee", "grid", "author", "recorded_by"
    )
    if status:
        opinions = opinions.filter(status=status)
    if category:
        opinions = opinions.filter(category=category)
    if grid is not None:
        opinions = opinions.filter(grid=grid)
    return opinions.order_by(*SORTS.get(sort, SORTS["newest"]))


def opinion_for_page(pk) -> Opinion | None:
    """One opinion with what its page shows: photos and the full status history."""
    history = Prefetch(
        "history", queryset=OpinionStatusChange.objects.select_related("by", "topic")
    )
    return (
        Opinion.objects.select_related(
            "committee", "grid", "author", "recorded_by", "topic", "collection_meeting"
        )
        .prefetch_related("photos", history)
        .filter(pk=pk)
        .first()
    )


def opinion_seconds_needed(opinion: Opinion) -> int:
    """The seconds that flag this opinion: the fixed number or the share of its grid's
    households, whichever is lower (rules.seconds_threshold)."""
    return rules.seconds_threshold(
        grid_households=Household.objects.filter(grid_id=opinion.grid_id).count(),
        fixed=settings.TOWNHALL_SECONDS_THRESHOLD,
        household_share=Fraction(settings.TOWNHALL_SECONDS_HOUSEHOLD_SHARE),
    )


def opinion_seconded_by(opinion: Opinion, person) -> bool:
    if not person.is_authenticated:
        return False
    return Second.objects.filter(opinion=opinion, person=person).exists()


def resident_membership(person, committee: ResidentsCommittee) -> Membership | None:
    """The person's current resident membership in the committee (their grid and
    household), or None if they are not a verified resident there."""
    if not person.is_authenticated:
        return None
    return (
        Membership.objects.current()
        .filter(person=person, committee=committee, role=Role.RESIDENT)
        .select_related("grid", "household")
        .order_by("-start")
        .first()
    )


def residents_to_record_for(
    committee: ResidentsCommittee, *, worker, search: str = ""
) -> QuerySet[Membership]:
    """The committee's verified residents with grid and address, the worker's own grids
    first; `search` narrows by real name, address or mobile number."""
    own_grids = list(
        Membership.objects.current()
        .filter(person=worker, committee=committee, grid__isnull=False)
        .values_list("grid_id", flat=True)
    )
    residents = (
        Membership.objects.current()
        .filter(committee=committee, role=Role.RESIDENT, person__is_former=False)
        .select_related("person", "grid", "household")
        .annotate(
            own=Case(
                When(grid_id__in=own_grids, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own", "grid__name", "person__real_name", "pk")
    )
    if search := search.strip():
        residents = residents.filter(
            Q(person__real_name__icontains=search)
            | Q(person__display_name__icontains=search)
            | Q(household__address__icontains=search)
            | Q(person__phone__contains=search)
        )
    return residents
