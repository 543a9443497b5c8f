"""Reads about carrying out decisions: the overdue rule, the committee's overdue list and
what the decision page's execution panel shows."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from townhall.community.models import Membership, ResidentsCommittee, Role

from .models import Decision


def decision_overdue(decision: Decision, today: date) -> bool:
    """Overdue: a passed decision whose due date is behind us and that is not signed off
    yet. The dashboards and `decisions_overdue` use this same definition."""
    return (
        decision.passed
        and decision.due_on is not None
        and decision.due_on < today
        and decision.execution != Decision.Execution.COMPLETED
    )


def overdue_q(today: date) -> Q:
    """`decision_overdue` as a filter, for lists that mark or count overdue decisions."""
    return Q(passed=True, due_on__lt=today) & ~Q(execution=Decision.Execution.COMPLETED)


def decisions_overdue(committee: ResidentsCommittee, today: date | None = None) -> QuerySet:
    """The committee's overdue decisions, longest overdue first (one query)."""
    today = today or timezone.localdate()
    return (
        Decision.objects.filter(overdue_q(today), committee=committee)
        .select_related("motion", "responsible")
        .order_by("due_on", "pk")
    )


def execution_candidates(committee: ResidentsCommittee) -> QuerySet:
    """Who may be made responsible: the committee's current chair and members."""
    from townhall.accounts.models import User

    holders = Membership.objects.current().filter(
        committee=committee, role__in=[Role.CHAIR, Role.MEMBER]
    )
    return User.objects.filter(pk__in=holders.values("person_id")).order_by("real_name", "pk")


def execution_for_panel(decision_pk: int) -> Decision:
    """The decision with everything its execution panel shows, in a fixed number of
    queries however long its progress timeline is."""
    return (
        Decision.objects.select_related("committee", "responsible", "signed_off_by")
        .prefetch_related("assisting", "progress__by", "supervision_notes__by")
        .get(pk=decision_pk)
    )
