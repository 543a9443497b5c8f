"""Reads about decision meetings: the committee's list, the live quorum, who is present,
the people the chair may look up to mark present, and the roster (the roll to check in)."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from townhall.accounts.models import User
from townhall.community.models import Membership, ResidentsCommittee, Role

from . import rules
from .models import Attendance, Meeting, Motion, RollMember

SEARCH_LIMIT = 20


def meetings_of(committee: ResidentsCommittee) -> dict[str, QuerySet]:
    """Coming meetings (soonest first, those in session too) and past ones (latest first)."""
    meetings = Meeting.objects.filter(committee=committee)
    now = timezone.now()
    coming = meetings.filter(
        Q(status=Meeting.Status.OPEN) | Q(status=Meeting.Status.SCHEDULED, starts_at__gte=now)
    ).order_by("starts_at", "pk")
    past = meetings.exclude(pk__in=coming.values("pk")).order_by("-starts_at", "-pk")
    return {"coming": coming, "past": past}


def meeting_quorum(meeting: Meeting) -> dict:
    """The live quorum: members on the frozen roll, those of them checked in now, how many
    are needed and whether the body may decide (two queries)."""
    members = meeting.roll.count()
    present = (
        Attendance.objects.filter(
            meeting=meeting, checked_out_at__isnull=True, roll_member__isnull=False
        )
        .values("roll_member")
        .distinct()
        .count()
    )
    verdict = rules.quorum_met(body=meeting.body, members=members, present=present)
    return {
        "members": members,
        "present": present,
        "needed": rules.quorum_needed(body=meeting.body, members=members),
        "met": bool(verdict),
        "reason": verdict.reason,
    }


def attendance_counts(meeting: Meeting) -> dict:
    """Everyone who came, members and observers, in one query."""
    return Attendance.objects.filter(meeting=meeting).aggregate(
        members=Count("pk", filter=Q(roll_member__isnull=False)),
        observers=Count("pk", filter=Q(roll_member__isnull=True)),
        present_now=Count("pk", filter=Q(checked_out_at__isnull=True)),
    )


def agenda(meeting: Meeting) -> QuerySet:
    return (
        Motion.objects.filter(meeting=meeting)
        .select_related("topic", "decision")
        .order_by("order", "pk")
    )


def people_search(meeting: Meeting, query: str) -> list[dict]:
    """People of the committee matching a name or a phone number, with whether they are on
    the roll and present: for the chair to mark them."""
    query = query.strip()
    if len(query) < 1:
        return []
    people_of = Membership.objects.current().filter(committee=meeting.committee)
    people = (
        User.objects.filter(pk__in=people_of.values("person_id"))
        .filter(
            Q(real_name__icontains=query)
            | Q(display_name__icontains=query)
            | Q(phone__contains=query.replace(" ", ""))
        )
        .order_by("real_name", "pk")[:SEARCH_LIMIT]
    )
    people = list(people)
    present = set(
        Attendance.objects.filter(
            meeting=meeting, person__in=people, checked_out_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    on_roll = set(meeting.roll.filter(person__in=people).values_list("person_id", flat=True))
    return [
        {"person": person, "present": person.pk in present, "on_roll": person.pk in on_roll}
        for person in people
    ]


# The roster: check-in from the roll -----------------------------------------------------

ROSTER_PAGE_SIZE = 50
ROSTER_SHOWS = ("all", "waiting", "arrived")
QUERY_MAX = 50


def _roll_matching(meeting: Meeting, query: str) -> Q:
    """Roll rows whose person (by name or phone) or household (by its address, or the name
    of a resident of it) matches what the chair typed."""
    phone = query.replace(" ", "")
    if not meeting.by_household:
        return (
            Q(person__real_name__icontains=query)
            | Q(person__display_name__icontains=query)
            | Q(person__phone__contains=phone)
        )
    residents = Membership.objects.current().filter(
        Q(person__real_name__icontains=query)
        | Q(person__display_name__icontains=query)
        | Q(person__phone__contains=phone),
        committee=meeting.committee,
        role=Role.RESIDENT,
        household__isnull=False,
    )
    return Q(household__address__icontains=query) | Q(household__in=residents.values("household"))


def _arrived():
    """A roll row is arrived while someone sits on it, checked in and not out."""
    return Exists(
        Attendance.objects.filter(roll_member=OuterRef("pk"), checked_out_at__isnull=True)
    )


def _roster_rows(meeting: Meeting, members: list[RollMember]) -> list[dict]:
    """Each row with who sits on it now, and, for a household not yet arrived, the
    residents who may come for it: two queries for any number of rows."""
    sitting = {
        attendance.roll_member_id: attendance
        for attendance in Attendance.objects.filter(
            roll_member__in=members, checked_out_at__isnull=True
        ).select_related("person")
    }
    residents: dict[int, list] = {}
    if meeting.by_household:
        households = [row.household_id for row in members if row.pk not in sitting]
        for membership in (
            Membership.objects.current()
            .filter(committee=meeting.committee, role=Role.RESIDENT, household__in=households)
            .select_related("person")
            .order_by("person__real_name", "person_id")
        ):
            people = residents.setdefault(membership.household_id, [])
            if membership.person not in people:
                people.append(membership.person)
    return [
        {
            "member": row,
            "attendance": sitting.get(row.pk),
            "people": residents.get(row.household_id, []) if meeting.by_household else [row.person],
        }
        for row in members
    ]


def roster_page(meeting: Meeting, *, query: str = "", show: str = "all", page=1) -> dict:
    """One page of the meeting's roll for the chair to check people in: people, or in
    household mode households with the residents who may come for them; each says whether
    it has arrived. Filtered by a search (name, phone, address) and by arrival, with the
    count of each filter. A fixed number of queries, whatever the size of the roll."""
    query = query.strip()[:QUERY_MAX]
    show = show if show in ROSTER_SHOWS else "all"
    rows = meeting.roll.all()
    if query:
        rows = rows.filter(_roll_matching(meeting, query))
    counts = rows.aggregate(all=Count("pk"), arrived=Count("pk", filter=_arrived()))
    counts["waiting"] = counts["all"] - counts["arrived"]
    if show == "arrived":
        rows = rows.filter(_arrived())
    elif show == "waiting":
        rows = rows.exclude(_arrived())
    if meeting.by_household:
        rows = rows.select_related("household__grid").order_by(
            "household__grid__name", "household__address", "pk"
        )
    else:
        rows = rows.select_related("person").order_by("person__real_name", "person_id", "pk")
    paginator = Paginator(rows, ROSTER_PAGE_SIZE)
    paginator.count = counts[show]  # known already: no second count query
    current = paginator.get_page(page)
    return {
        "rows": _roster_rows(meeting, list(current.object_list)),
        "page": current,
        "counts": counts,
        "query": query,
        "show": show,
    }


def observers_present(meeting: Meeting) -> list[Attendance]:
    """Those in the hall who are not on the roll: they may speak, never vote."""
    return list(
        Attendance.objects.filter(
            meeting=meeting, checked_out_at__isnull=True, roll_member__isnull=True
        )
        .select_related("person")
        .order_by("-checked_in_at", "-pk")
    )


def roster_others(meeting: Meeting, query: str) -> list[dict]:
    """People of the committee matching the search who have no row on the roll: checked
    in, they attend as observers. In household mode, residents of a household on the
    roll are found through its row instead."""
    found = [row for row in people_search(meeting, query) if not row["on_roll"]]
    if meeting.by_household and found:
        seated = set(
            Membership.objects.current()
            .filter(
                committee=meeting.committee,
                role=Role.RESIDENT,
                person__in=[row["person"] for row in found],
                household__in=meeting.roll.values("household"),
            )
            .values_list("person_id", flat=True)
        )
        found = [row for row in found if row["person"].pk not in seated]
    return found
