"""Published disclosures as spreadsheets: the rows (CSV and XLSX alike), then the writers.

Anyone may read a published disclosure, so its export is public too: only live pages
that carry no view restriction are exported.
"""

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from townhall.spreadsheets import Cell, Rows, local_naive

from . import selectors
from .models import DisclosureIndexPage, DisclosurePage

FIGURE_TOTAL_ROWS = 3  # total income, total spending, balance: the last rows of figure_rows


# --- Rows ---------------------------------------------------------------------------


def board_disclosures(board: DisclosureIndexPage) -> list[DisclosurePage]:
    """The board's live public disclosures, newest first as on the board, with their
    figures, corrections and reviews fetched in a fixed number of queries."""
    pages = list(
        DisclosurePage.objects.child_of(board)
        .live()
        .public()
        .order_by("-shown_from", "-pk")
        .select_related("corrects")
        .prefetch_related(
            "figures",
            Prefetch(
                "corrections",
                queryset=DisclosurePage.objects.live().order_by("first_published_at"),
                to_attr="live_corrections",
            ),
        )
    )
    reviews = selectors.reviews_of(pages)
    for page in pages:
        page.export_review = reviews.get(page.pk)
    return pages


def _field_label(name: str) -> str:
    return str(capfirst(DisclosurePage._meta.get_field(name).verbose_name))


def _reviewer_name(review: TaskState | None) -> str:
    if review is None or review.finished_by is None:
        return ""
    # As on the disclosure's page: supervisors sign under their real names (office holders).
    return review.finished_by.real_name or str(review.finished_by)


def board_disclosure_rows(
    pages: list[DisclosurePage], *, absolute_url: Callable[[DisclosurePage], str]
) -> Rows:
    """The header, then one row per disclosure (pages from board_disclosures)."""
    header: list[Cell] = [
        _field_label("title"),
        _field_label("category"),
        _field_label("period_start"),
        _field_label("period_end"),
        _field_label("shown_from"),
        _field_label("shown_until"),
        _("Published at"),
        _("Reviewed on"),
        _("Reviewed by"),
        _field_label("corrects"),
        _("Corrected by"),
        _("Total income"),
        _("Total spending"),
        _("Balance"),
        _("Web address"),
    ]
    rows: Rows = [header]
    for page in pages:
        totals = page.totals()
        review = getattr(page, "export_review", None)
        rows.append(
            [
                page.title,
                page.get_category_display(),
                page.period_start,
                page.period_end,
                page.shown_from,
                page.shown_until,
                local_naive(page.first_published_at),
                timezone.localdate(review.finished_at) if review and review.finished_at else None,
                _reviewer_name(review),
                page.corrects.title if page.corrects else "",
                "; ".join(correction.title for correction in page.live_corrections),
                totals.income,
                totals.spending,
                totals.balance,
                absolute_url(page),
            ]
        )
    return rows


def figure_rows(page: DisclosurePage) -> Rows:
    """The header, the figure lines, then the computed totals (FIGURE_TOTAL_ROWS rows)."""
    rows: Rows = [[_("Item"), _("In or out"), _("Amount (yuan)")]]
    lines = list(page.figures.all())
    rows.extend([line.label, line.get_direction_display(), line.amount] for line in lines)
    totals = page.totals()
    rows.append([_("Total income"), "", totals.income])
    rows.append([_("Total spending"), "", totals.spending])
    rows.append([_("Balance"), "", totals.balance])
    return rows
