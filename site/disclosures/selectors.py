"""Reads for the disclosure board, a disclosure's page and the disclosure schedule."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, TaskState

from townhall.community.models import ResidentsCommittee
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of

from . import rules
from .models import DisclosureIndexPage, DisclosurePage, DisclosureSchedule
from .rules import Category, Frequency


def board_listing(board: DisclosureIndexPage, params) -> dict:
    """The committee's disclosures, filtered by category, year and search words."""
    return _listing(DisclosurePage.objects.child_of(board).live(), params)


def search_listing(params) -> dict:
    """Every committee's published disclosures, also filtered by committee."""
    pages = DisclosurePage.objects.live()
    committee = params.get("committee", "")
    if committee:
        board = DisclosureIndexPage.objects.filter(committee__slug=committee).first()
        pages = pages.child_of(board) if board else pages.none()
    listing = _listing(pages, params)
    listing["committees"] = ResidentsCommittee.objects.filter(disclosure_index__isnull=False)
    listing["chosen"]["committee"] = committee
    return listing


def _listing(pages, params) -> dict:
    today = timezone.localdate()
    years = pages.dates("period_start", "year")
    pages = pages.order_by("-shown_from", "-pk")
    category = params.get("category", "")
    if category in Category.values:
        pages = pages.filter(category=category)
    year = params.get("year", "")
    if year.isdigit():
        pages = pages.filter(period_start__year=int(year))
    query = params.get("q", "").strip()
    if query:
        # Not Wagtail's search backend: its database backends split words on spaces and
        # so miss "电梯" inside "加装电梯公示". A substring match is exact in Chinese and
        # quick at a committee's scale; a Chinese-aware backend (Elasticsearch with a
        # Chinese analyzer) is the way when every district's records are searched at once.
        pages = pages.filter(Q(title__icontains=query) | Q(body__icontains=query))
    pages = list(pages)
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
    return reviews_of([page]).get(page.pk)


def reviews_of(pages: list[DisclosurePage]) -> dict[int, TaskState]:
    """Each page's latest approval by the supervision committee, in one query."""
    if not pages:
        return {}
    approvals = (
        TaskState.objects.filter(
            workflow_state__base_content_type=pages[0].get_base_content_type(),
            workflow_state__object_id__in=[str(page.pk) for page in pages],
            status=TaskState.STATUS_APPROVED,
        )
        .select_related("finished_by", "workflow_state")
        .order_by("finished_at")
    )
    # Ordered oldest first, so the latest approval of each page is the one kept.
    return {int(state.workflow_state.object_id): state for state in approvals}


def pages_of(committees):
    """The disclosure pages (any state) on these committees' boards, as one queryset."""
    boards = DisclosureIndexPage.objects.filter(committee__in=committees).only("path", "depth")
    under_a_board = Q(pk__in=[])
    for board in boards:
        under_a_board |= Q(path__startswith=board.path, depth=board.depth + 1)
    return DisclosurePage.objects.filter(under_a_board)


def queries_unanswered(committees):
    """Residents' queries still without an answer, oldest first."""
    from .models import DisclosureQuery

    return (
        DisclosureQuery.objects.filter(answered_at__isnull=True, page__in=pages_of(committees))
        .select_related("page")
        .order_by("asked_at")
    )


def queries_overdue(committees, older_than_days: int):
    """Unanswered queries older than the limit, for the supervision committee."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(days=older_than_days)
    return queries_unanswered(committees).filter(asked_at__lt=cutoff)


# --- The disclosure schedule: what each committee owes, and what is on display --------


@dataclass(frozen=True)
class ScheduleRow:
    """What one committee owes for one category: the period, its deadline, where it
    stands, and the live disclosure covering it. Periods and `due_by` are None for an
    event-driven category with no decision awaiting disclosure."""

    committee: ResidentsCommittee
    category: str
    frequency: str
    days_after_event: int
    period_start: date | None
    period_end: date | None
    due_by: date | None
    status: rules.Status
    disclosure: DisclosurePage | None

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def frequency_label(self) -> str:
        return Frequency(self.frequency).label

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class OnDisplay:
    committee: ResidentsCommittee
    page: DisclosurePage


def schedule_status(committees, today: date | None = None) -> list[ScheduleRow]:
    """One row per committee and category (events: one per decision awaiting
    disclosure), in the order the committees are given. A category without a schedule
    row follows the default policy (rules.SCHEDULE_DEFAULTS).

    A live disclosure covers a period when it runs over the period's last day (starts
    on or before it, ends on or after it); one about a later period does not stand in
    for a missed one. Four queries whatever the number of committees."""
    today = today or timezone.localdate()
    committees = list(committees)
    schedules = {
        (s.committee_id, s.category): s
        for s in DisclosureSchedule.objects.filter(committee__in=committees)
    }
    periods = {f: rules.period_due(f, today) for f in (Frequency.MONTHLY, Frequency.QUARTERLY)}
    # Only disclosures reaching the earliest period's end can cover anything.
    earliest_end = min(period.end for period in periods.values())
    pages = _live_disclosures_of(committees, Q(period_end__gte=earliest_end))
    events = events_awaiting_disclosure(committees)

    rows: list[ScheduleRow] = []
    for committee in committees:
        for category in Category.values:
            schedule = schedules.get((committee.pk, category)) or DisclosureSchedule(
                committee=committee,
                category=category,
                frequency=rules.SCHEDULE_DEFAULTS[category],
            )
            row = {
                "committee": committee,
                "category": category,
                "frequency": schedule.frequency,
                "days_after_event": schedule.days_after_event,
            }
            if schedule.frequency == Frequency.AFTER_EVENT:
                rows.extend(_event_rows(row, today, events[(committee.pk, category)]))
                continue
            period = periods[schedule.frequency]
            covering = [
                p
                for p in pages[committee.pk][category]
                if p.period_start <= period.end <= p.period_end
            ]
            # The nearest fit; among equals the latest created, so a correction shows
            # rather than what it corrects.
            disclosure = min(covering, key=lambda p: (p.period_end, -p.pk), default=None)
            rows.append(
                ScheduleRow(
                    **row,
                    period_start=period.start,
                    period_end=period.end,
                    due_by=period.due_by,
                    status=rules.status(
                        disclosure.period_end if disclosure else None,
                        period.end,
                        period.due_by,
                        today,
                    ),
                    disclosure=disclosure,
                )
            )
    return rows


def _event_rows(row: dict, today: date, events: list[date]) -> list[ScheduleRow]:
    if not events:
        return [
            ScheduleRow(
                **row,
                period_start=None,
                period_end=None,
                due_by=None,
                status=rules.status(None, None, None, today),
                disclosure=None,
            )
        ]
    rows = []
    for decided_on in events:
        period = rules.event_due(decided_on, row["days_after_event"])
        rows.append(
            ScheduleRow(
                **row,
                period_start=period.start,
                period_end=period.end,
                due_by=period.due_by,
                status=rules.status(None, period.end, period.due_by, today),
                disclosure=None,
            )
        )
    return rows


def events_awaiting_disclosure(committees) -> dict[tuple[int, str], list[date]]:
    """For each (committee pk, category), the dates of the committee's decisions that no
    live disclosure covers yet, oldest first: one per decision (passed or not) of the
    residents' or the representatives' assembly (DECISIONS, Art 34 (1)). No other
    category is event-driven from the platform's records yet. One query, whatever the
    number of committees."""
    from deliberation.decisions.models import Decision

    found: dict[tuple[int, str], list[date]] = defaultdict(list)
    decided = (
        Decision.objects.filter(committee__in=list(committees))
        .filter(Q(disclosure__isnull=True) | Q(disclosure__live=False))
        .order_by("decided_at", "pk")
        .values_list("committee_id", "decided_at")
    )
    for committee_id, at in decided:
        found[(committee_id, Category.DECISIONS)].append(timezone.localdate(at))
    return found


def on_display_now(committees, today: date | None = None) -> list[OnDisplay]:
    """Live disclosures on the notice board today (shown_from <= today <= shown_until),
    per committee in the order given, those coming down soonest first. Two queries."""
    today = today or timezone.localdate()
    committees = list(committees)
    pages = _live_disclosures_of(committees, Q(shown_from__lte=today, shown_until__gte=today))
    return [
        OnDisplay(committee=committee, page=page)
        for committee in committees
        for page in sorted(
            (p for by_category in pages[committee.pk].values() for p in by_category),
            key=lambda p: (p.shown_until, p.shown_from, p.pk),
        )
    ]


def _live_disclosures_of(committees, condition: Q) -> dict[int, dict[str, list[DisclosurePage]]]:
    """Live disclosures on the committees' boards meeting the condition, by committee
    and category, in one query for the boards and one for the pages."""
    found: dict[int, dict[str, list[DisclosurePage]]] = defaultdict(lambda: defaultdict(list))
    boards = DisclosureIndexPage.objects.filter(committee__in=committees).only(
        "path", "depth", "committee"
    )
    committee_of_board: dict[str, int] = {}
    under_boards = Q()
    for board in boards:
        committee_of_board[board.path] = board.committee_id
        under_boards |= Q(path__startswith=board.path, depth=board.depth + 1)
    if not committee_of_board:
        return found
    pages = DisclosurePage.objects.live().filter(under_boards, condition).defer("body")
    for page in pages:
        board_path = page.path[: -Page.steplen]
        found[committee_of_board[board_path]][page.category].append(page)
    return found
