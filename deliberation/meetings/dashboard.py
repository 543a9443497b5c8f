"""What the committee must attend to, for its dashboard: petitions due, the
representatives' assembly due, its composition, decisions overdue or not assigned, topics
waiting for a decision and meetings coming up; in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from townhall.community.models import COMMITTEE_ROLES, Membership, ResidentsCommittee, Role

from ..decisions.models import Decision
from ..topics.models import Topic, TopicStatus
from . import rules
from .models import Body, Meeting, Motion, Petition
from .petition_selectors import petitions_due

SOON = timedelta(days=30)  # warn this long before the representatives' assembly is due


@dataclass(frozen=True)
class Dashboard:
    petitions_due: list[Petition]
    representatives_last_held: date | None
    representatives_due_by: date | None  # None: never held, due now
    representatives_due: bool  # due now or overdue
    representatives_due_soon: bool  # within SOON
    composition: rules.Verdict
    decisions_overdue: list[Decision]
    decisions_unassigned: list[Decision]
    topics_waiting: list[Topic]
    upcoming: list[Meeting]

    @property
    def warning_count(self) -> int:
        return (
            len(self.petitions_due)
            + self.representatives_due
            + (not self.composition)
            + len(self.decisions_overdue)
            + len(self.decisions_unassigned)
            + len(self.topics_waiting)
        )


def representatives_last_held(committee: ResidentsCommittee) -> date | None:
    """The day of the last representatives' assembly that was held (closed)."""
    held = (
        Meeting.objects.filter(
            committee=committee, body=Body.REPRESENTATIVES, status=Meeting.Status.CLOSED
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(held) if held else None


def composition(committee: ResidentsCommittee) -> rules.Verdict:
    """Representatives among the representatives' assembly (Art 29): one query."""
    counts = (
        Membership.objects.current()
        .filter(committee=committee)
        .aggregate(
            committee_members=Count("person", filter=Q(role__in=COMMITTEE_ROLES), distinct=True),
            representatives=Count("person", filter=Q(role=Role.REPRESENTATIVE), distinct=True),
        )
    )
    return rules.representatives_composition_ok(**counts)


def decisions_needing_attention(
    committee: ResidentsCommittee, today: date
) -> tuple[list[Decision], list[Decision]]:
    """Passed decisions overdue (past due, not completed) and not assigned yet: one query."""
    overdue = Q(due_on__lt=today) & ~Q(execution=Decision.Execution.COMPLETED)
    unassigned = Q(execution=Decision.Execution.NOT_ASSIGNED)
    decisions = list(
        Decision.objects.filter(committee=committee, passed=True)
        .filter(overdue | unassigned)
        .select_related("motion", "responsible")
        .order_by("due_on", "decided_at", "pk")
    )
    return (
        [
            d
            for d in decisions
            if d.due_on and d.due_on < today and d.execution != Decision.Execution.COMPLETED
        ],
        [d for d in decisions if d.execution == Decision.Execution.NOT_ASSIGNED],
    )


def topics_waiting(committee: ResidentsCommittee) -> list[Topic]:
    """Topics sent to a decision that no meeting has put on its agenda yet."""
    return list(
        committee.topics.filter(status=TopicStatus.TO_DECISION)
        .exclude(Exists(Motion.objects.filter(topic=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )


def upcoming_meetings(committee: ResidentsCommittee) -> list[Meeting]:
    return list(
        committee.meetings.filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.OPEN]
        ).order_by("starts_at", "pk")
    )


def committee_dashboard(committee: ResidentsCommittee, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, in six queries."""
    today = today or timezone.localdate()
    last_held = representatives_last_held(committee)
    due_by = rules.representatives_due_by(last_held, today)
    overdue, unassigned = decisions_needing_attention(committee, today)
    return Dashboard(
        petitions_due=list(petitions_due(committee).order_by("reached_at", "pk")),
        representatives_last_held=last_held,
        representatives_due_by=due_by,
        representatives_due=due_by is None or due_by <= today,
        representatives_due_soon=due_by is not None and today < due_by <= today + SOON,
        composition=composition(committee),
        decisions_overdue=overdue,
        decisions_unassigned=unassigned,
        topics_waiting=topics_waiting(committee),
        upcoming=upcoming_meetings(committee),
    )
