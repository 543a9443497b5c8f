"""Reads for the disclosure board and a disclosure's page."""

from datetime import date

from django.utils import timezone
from wagtail.models import TaskState

from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of

from . import rules
from .models import DisclosureIndexPage, DisclosurePage
from .rules import Category


def board_listing(board: DisclosureIndexPage, params) -> dict:
    """The committee's disclosures, filtered by category, year and search words."""
    today = timezone.localdate()
    pages = DisclosurePage.objects.child_of(board).live().order_by("-shown_from", "-pk")
    category = params.get("category", "")
    if category in Category.values:
        pages = pages.filter(category=category)
    year = params.get("year", "")
    if year.isdigit():
        pages = pages.filter(period_start__year=int(year))
    query = params.get("q", "").strip()
    if query:
        pages = pages.search(query, order_by_relevance=False)
    pages = list(pages)
    years = DisclosurePage.objects.child_of(board).live().dates("period_start", "year")
    return {
        "on_display": [p for p in pages if rules.on_display(p.shown_from, p.shown_until, today)],
        "archive": [p for p in pages if not rules.on_display(p.shown_from, p.shown_until, today)],
        "categories": Category.choices,
        "chosen": {"category": category, "year": year, "q": query},
        "years": sorted({d.year for d in years}, reverse=True),
    }


def disclosure_detail(page: DisclosurePage) -> dict:
    today: date = timezone.localdate()
    entry = (
        LedgerEntry.objects.filter(subject=subject_of(page), kind__endswith="published")
        .order_by("-seq")
        .first()
    )
    return {
        "totals": page.totals(),
        "on_display": rules.on_display(page.shown_from, page.shown_until, today),
        "corrections": page.corrections.live().order_by("first_published_at"),
        "ledger_entry": entry,
        "review": review_of(page),
        "queries": page.queries.select_related("asked_by", "answered_by"),
    }


def reviews_pending_for(user) -> list:
    """Disclosures waiting for this supervisor's review, oldest first."""
    from .models import SupervisionReviewTask

    states = []
    for task in SupervisionReviewTask.objects.filter(active=True):
        states.extend(
            task.get_task_states_user_can_moderate(user).select_related(
                "revision", "workflow_state__requested_by"
            )
        )
    return sorted(states, key=lambda state: state.started_at)


def review_of(page) -> TaskState | None:
    """The supervision committee's approval of what is published, if any."""
    return (
        TaskState.objects.for_instance(page)
        .filter(status=TaskState.STATUS_APPROVED)
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )


def queries_overdue(committees, older_than_days: int):
    """Unanswered queries older than the limit, for the supervision committee."""
    from datetime import timedelta

    from .models import DisclosureQuery

    cutoff = timezone.now() - timedelta(days=older_than_days)
    return (
        DisclosureQuery.objects.filter(answered_at__isnull=True, asked_at__lt=cutoff)
        .filter(page__in=DisclosurePage.objects.filter(pk__in=_pages_of(committees)))
        .select_related("page")
        .order_by("asked_at")
    )


def _pages_of(committees) -> list[int]:
    boards = DisclosureIndexPage.objects.filter(committee__in=committees)
    pages: list[int] = []
    for board in boards:
        pages.extend(DisclosurePage.objects.child_of(board).values_list("pk", flat=True))
    return pages
