"""Reads about decision meetings: the committee's list, the live quorum, who is present,
and the people the chair may look up to mark present."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from townhall.accounts.models import User
from townhall.community.models import Membership, ResidentsCommittee

from . import rules
from .models import Attendance, Meeting, Motion

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


def attendance_list(meeting: Meeting) -> dict[str, list[Attendance]]:
    """Who is in the hall now, members and observers apart, latest first."""
    rows = (
        Attendance.objects.filter(meeting=meeting, checked_out_at__isnull=True)
        .select_related("person", "roll_member__household")
        .order_by("-checked_in_at", "-pk")
    )
    members, observers = [], []
    for row in rows:
        (observers if row.is_observer else members).append(row)
    return {"members": members, "observers": observers}


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
