"""Reads for the decision pages and the minutes: a committee's decisions, one decision
with what its page shows, the decisions that revise it (Art 30), a meeting's minutes."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from townhall.community.models import ResidentsCommittee

from ..meetings.models import Meeting, Minutes, Motion
from .execution_selectors import decision_overdue, overdue_q
from .models import Decision

# Filters of the decision list: passed or not, and where the execution stands.
OUTCOMES = {"passed": Q(passed=True), "failed": Q(passed=False)}


def decision_list(committee: ResidentsCommittee, *, outcome: str = "", execution: str = ""):
    """The committee's decisions, newest first, each marked `overdue`; one query."""
    today = timezone.localdate()
    decisions = (
        Decision.objects.filter(committee=committee)
        .select_related("motion__meeting", "motion__topic", "disclosure")
        .order_by("-decided_at", "-pk")
    )
    if outcome in OUTCOMES:
        decisions = decisions.filter(OUTCOMES[outcome])
    if execution == "overdue":
        decisions = decisions.filter(overdue_q(today))
    elif execution in Decision.Execution.values:
        decisions = decisions.filter(passed=True, execution=execution)
    decisions = list(decisions)
    for decision in decisions:
        decision.overdue = decision_overdue(decision, today)
    return decisions


def decision_for_page(pk: int) -> QuerySet:
    return Decision.objects.filter(pk=pk).select_related(
        "committee",
        "disclosure",
        "motion__meeting__chair",
        "motion__topic",
        "motion__revises__motion__meeting",
    )


def decision_revisions(decision: Decision) -> list[Decision]:
    """Passed decisions that revoke or change this one (Art 30), oldest first. A motion
    to revise it that did not pass leaves it standing."""
    return list(
        Decision.objects.filter(motion__revises=decision, passed=True)
        .select_related("motion__meeting")
        .order_by("decided_at", "pk")
    )


def decision_opinions(decision: Decision) -> list:
    """The opinions merged into the decision's topic, for links back."""
    if not decision.motion.topic_id:
        return []
    return list(decision.motion.topic.opinions.order_by("pk"))


def minutes_of(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair_approved_by", "supervisor_approved_by", "disclosure")
        .first()
    )


def meeting_agenda(meeting: Meeting) -> list[Motion]:
    """The motions with their results, for the secretary's reference."""
    return list(meeting.motions.select_related("topic").order_by("order", "pk"))
