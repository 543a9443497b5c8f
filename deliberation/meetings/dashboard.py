"""What the committee must attend to, for its dashboard: petitions due, the
representatives' assembly due, its composition, decisions overdue or not assigned, topics
waiting for a decision, opinions flagged by their seconds, disclosures in review or
overdue, address claims to verify, and meetings coming up; in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import WorkflowState

from townhall.community.models import (
    COMMITTEE_ROLES,
    Membership,
    Residency,
    ResidentsCommittee,
    Role,
)
from townhall.disclosures import rules as disclosure_rules
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage
from townhall.disclosures.selectors import ScheduleRow, schedule_status

from ..decisions.models import Decision
from ..opinions.models import Opinion, Status
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
    opinions_flagged: list[Opinion]
    disclosure_board: DisclosureIndexPage | None
    disclosures_in_review: list[DisclosurePage]
    disclosures_overdue: list[ScheduleRow]
    claims_waiting: int
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
            + len(self.opinions_flagged)
            + len(self.disclosures_in_review)
            + len(self.disclosures_overdue)
            + bool(self.claims_waiting)
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


def opinions_flagged(committee: ResidentsCommittee) -> list[Opinion]:
    """Opinions that reached the seconds threshold and the committee has not answered,
    declined, referred or merged yet (hidden ones are the moderators' business)."""
    return list(
        committee.opinions.filter(
            flagged_at__isnull=False,
            status__in=[Status.SUBMITTED, Status.CONSIDERING],
            hidden_at__isnull=True,
        ).order_by("flagged_at", "pk")
    )


def disclosure_board(committee: ResidentsCommittee) -> DisclosureIndexPage | None:
    """The committee's notice board online (one at most), or None before it is set up."""
    return DisclosureIndexPage.objects.filter(committee=committee).first()


def disclosures_in_review(board: DisclosureIndexPage | None) -> list[DisclosurePage]:
    """Drafts on the board waiting for the supervision committee: one query."""
    if board is None:
        return []
    in_review = WorkflowState.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return list(
        DisclosurePage.objects.child_of(board)
        .filter(live=False)
        .filter(Exists(in_review))
        .order_by("pk")
    )


def disclosures_overdue(
    committee: ResidentsCommittee, board: DisclosureIndexPage | None, today: date
) -> list[ScheduleRow]:
    """What the committee owes its disclosure board past the deadline: four queries. A
    committee without a board yet owes nothing here: everything would be overdue at once,
    and setting the board up is the CMS's work, not an item on this list."""
    if board is None:
        return []
    rows = schedule_status([committee], today)
    return [row for row in rows if row.status == disclosure_rules.Status.OVERDUE]


def claims_waiting(committee: ResidentsCommittee) -> int:
    return Residency.objects.filter(committee=committee, status=Residency.Status.PENDING).count()


def upcoming_meetings(committee: ResidentsCommittee) -> list[Meeting]:
    return list(
        committee.meetings.filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.OPEN]
        ).order_by("starts_at", "pk")
    )


def committee_dashboard(committee: ResidentsCommittee, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, in nine queries; fourteen once the committee has a
    disclosure board (what it owes the board is read from its schedule)."""
    today = today or timezone.localdate()
    board = disclosure_board(committee)
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
        opinions_flagged=opinions_flagged(committee),
        disclosure_board=board,
        disclosures_in_review=disclosures_in_review(board),
        disclosures_overdue=disclosures_overdue(committee, board, today),
        claims_waiting=claims_waiting(committee),
        upcoming=upcoming_meetings(committee),
    )
