"""Published disclosures as spreadsheets: the rows (CSV and XLSX alike), then the writers.

Anyone may read a published disclosure, so its export is public too: only live pages
that carry no view restriction are exported.
"""

import csv
import io
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.models import TaskState

from .models import DisclosureIndexPage, DisclosurePage

Cell = str | Decimal | date | datetime | None
Rows = list[list[Cell]]

FIGURE_TOTAL_ROWS = 3  # total income, total spending, balance: the last rows of figure_rows
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60


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
    reviews = _approvals_by_page(pages)
    for page in pages:
        page.export_review = reviews.get(page.pk)
    return pages


def _approvals_by_page(pages: list[DisclosurePage]) -> dict[int, TaskState]:
    """selectors.review_of for many pages in one query: each page's latest approval."""
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


def _field_label(name: str) -> str:
    return str(capfirst(DisclosurePage._meta.get_field(name).verbose_name))


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: write the local time the page shows.
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


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
                _local(page.first_published_at),
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


# --- Writers ------------------------------------------------------------------------

# A text cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection); such text is written with a leading apostrophe, which they hide.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Rows) -> bytes:
    """UTF-8 with a byte order mark, so that Excel on Windows reads Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _display_width(value: Cell) -> int:
    text = _csv_text(value)
    # Chinese characters take two columns of a spreadsheet's width unit.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet"


def xlsx_bytes(rows: Rows, *, sheet_title: str, bold_last: int = 0) -> bytes:
    """One sheet: the first row bold as the header, and the last `bold_last` rows bold
    (totals). Amounts are numbers shown with two decimals, dates are dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_title)
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        strong = row_number == 1 or row_number > len(rows) - bold_last
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, even when the text starts with "="
            else:
                cell.value = value
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if strong:
                cell.font = bold
            widths[column] = max(widths.get(column, 0), _display_width(value))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
