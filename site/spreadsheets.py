"""Tables as spreadsheets people open in Excel or WPS: CSV (UTF-8 with a BOM) and XLSX.

Rows are lists of cells; the first row is the header. Text that a spreadsheet would
run as a formula is written as plain text (CSV injection).
"""

import csv
import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | Decimal | date | datetime | int | None
Rows = list[list[Cell]]


def local_naive(moment: datetime | None) -> datetime | None:
    """Spreadsheets have no time zones: the local time the site shows, to the second."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60

# A text cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection); such text is written with a leading apostrophe, which they hide.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """Lazy translations (choice labels) become the text they stand for."""
    return str(value) if isinstance(value, Promise) else value


def _csv_text(value: Cell) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):  # bool too: a count, never a formula
        return str(value)
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
    return xlsx_workbook_bytes([(sheet_title, rows, bold_last)])


def xlsx_workbook_bytes(sheets: list[tuple[str, Rows, int]]) -> bytes:
    """Several sheets, each (title, rows, bold_last) as in `xlsx_bytes`."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, bold_last in sheets:
        _sheet_fill(book.create_sheet(_sheet_title(title)), rows, bold_last)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_fill(sheet, rows: Rows, bold_last: int) -> None:
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        strong = row_number == 1 or row_number > len(rows) - bold_last
        for column, value in enumerate(map(_plain, row), start=1):
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


def spreadsheet_response(
    rows: Rows, fmt: str, *, filename: str, sheet_title: str, bold_last: int = 0
) -> HttpResponse:
    """A download of `rows` as `fmt` ("csv" or "xlsx")."""
    if fmt == "csv":
        content, content_type = csv_bytes(rows), "text/csv; charset=utf-8"
    else:
        content = xlsx_bytes(rows, sheet_title=sheet_title, bold_last=bold_last)
        content_type = XLSX_CONTENT_TYPE
    return attachment_response(content, content_type, f"{filename}.{fmt}")


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": disposition}
    )
