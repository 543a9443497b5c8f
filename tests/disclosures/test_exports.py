"""Published disclosures as CSV and XLSX downloads, public like the disclosures."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from townhall.community.models import Role
from townhall.disclosures.models import DisclosurePage, FigureLine
from townhall.disclosures.review import disclosure_review_decide
from townhall.disclosures.services import correction_start

from ..conftest import give_totp
from ..factories import CommitteeFactory, UserFactory
from .conftest import publish

pytestmark = pytest.mark.django_db


def board_export(client, committee, fmt):
    client.cookies["django_language"] = "en"
    return client.get(
        reverse("disclosures:board_export", kwargs={"committee_slug": committee.slug, "fmt": fmt})
    )


def figures_export(client, page, fmt):
    client.cookies["django_language"] = "en"
    return client.get(
        reverse("disclosures:figures_export", kwargs={"page_id": page.pk, "fmt": fmt})
    )


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_board_xlsx_has_a_bold_header_and_one_row_per_disclosure(client, draft, committee, board):
    page = publish(draft())

    response = board_export(client, committee, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = sheet_of(response)
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == [
        "Title",
        "Category",
        "Period from",
        "Period to",
        "Shown from",
        "Shown until",
    ]
    assert header[-4:] == ["Total income", "Total spending", "Balance", "Web address"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > 10
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert sheet.max_row == 2
    assert row["Title"].value == "2026年10月社区经费收支"
    assert row["Category"].value == "Government funds and donated money and goods"
    assert row["Period from"].value.date() == date(2026, 10, 1)
    assert row["Web address"].value == f"http://testserver{page.url}"
    for name, expected in [
        ("Total income", 5000),
        ("Total spending", 1200.5),
        ("Balance", 3799.5),
    ]:
        assert isinstance(row[name].value, int | float)  # a number, not text
        assert row[name].value == pytest.approx(expected)
        assert row[name].number_format == "0.00"


def test_board_csv_is_utf8_with_a_bom_and_has_the_chinese_titles(client, draft, committee):
    publish(draft(title="十月经费收支"))
    publish(draft(title="楼道照明维修公示"))

    response = board_export(client, committee, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response)
    assert rows[0][0] == "Title"
    assert {row[0] for row in rows[1:]} == {"十月经费收支", "楼道照明维修公示"}
    assert rows[1][-4:-1] == ["5000.00", "1200.50", "3799.50"]


def test_board_export_lists_only_live_disclosures_of_that_committee(client, draft, committee):
    publish(draft(title="已公开"))
    draft(title="草稿")
    withdrawn = publish(draft(title="已撤下"))
    withdrawn.unpublish()

    titles = [row[0] for row in csv_rows(board_export(client, committee, "csv"))[1:]]

    assert titles == ["已公开"]
    other = CommitteeFactory()
    assert board_export(client, other, "csv").status_code == 404  # no board of its own


def test_board_export_names_the_review_and_corrections_both_ways(
    client, draft, committee, make_person
):
    supervisor = make_person(committee, Role.SUPERVISOR, real_name="赵德明")
    give_totp(supervisor)
    original = draft(title="十月经费收支")
    original.get_workflow().start(original, UserFactory(is_staff=True, is_superuser=True))
    original = DisclosurePage.objects.get(pk=original.pk)
    disclosure_review_decide(
        task_state=original.current_workflow_state.current_task_state,
        user=supervisor,
        approve=True,
    )
    correction = correction_start(
        original=DisclosurePage.objects.get(pk=original.pk), by=UserFactory()
    )
    correction.save_revision()
    correction = publish(correction)

    sheet = sheet_of(board_export(client, committee, "xlsx"))

    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["十月经费收支"]["Reviewed by"] == "赵德明"
    assert rows["十月经费收支"]["Reviewed on"] is not None
    assert rows["十月经费收支"]["Corrected by"] == correction.title
    assert rows[correction.title]["Corrects"] == "十月经费收支"
    assert rows[correction.title]["Reviewed by"] is None


def test_board_export_takes_the_same_queries_for_one_disclosure_or_many(client, draft, committee):
    publish(draft(title="一"))
    board_export(client, committee, "xlsx")  # warms the caches (site root paths, content types)
    with CaptureQueriesContext(connection) as one:
        board_export(client, committee, "xlsx")
    publish(draft(title="二"))
    publish(draft(title="三"))

    with CaptureQueriesContext(connection) as three:
        board_export(client, committee, "xlsx")

    assert len(three) == len(one)
    assert len(one) <= 8


def test_figures_xlsx_has_the_lines_and_totals_that_add_up(client, draft):
    page = publish(draft())

    sheet = sheet_of(figures_export(client, page, "xlsx"))

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Item", "In or out", "Amount (yuan)")
    assert rows[1] == ("街道办拨款", "Income", 5000)
    assert rows[2] == ("楼道照明维修", "Spending", 1200.5)
    totals = {row[0]: row[2] for row in rows[-3:]}
    assert totals["Total income"] == sum(r[2] for r in rows[1:-3] if r[1] == "Income")
    assert totals["Total spending"] == sum(r[2] for r in rows[1:-3] if r[1] == "Spending")
    assert totals["Balance"] == pytest.approx(totals["Total income"] - totals["Total spending"])
    assert all(isinstance(row[2], int | float) for row in rows[1:])
    assert sheet["C2"].number_format == "0.00"
    assert sheet.cell(row=sheet.max_row, column=1).font.b  # totals in bold


def test_figures_csv_has_the_lines_and_totals(client, draft):
    page = publish(draft())

    rows = csv_rows(figures_export(client, page, "csv"))

    assert rows[1] == ["街道办拨款", "Income", "5000.00"]
    assert rows[-1] == ["Balance", "", "3799.50"]


def test_figures_of_a_draft_are_not_exported(client, draft):
    page = draft()

    assert figures_export(client, page, "csv").status_code == 404
    assert figures_export(client, page, "xlsx").status_code == 404


def test_text_that_looks_like_a_formula_stays_text(client, draft, committee):
    page = draft(title='=HYPERLINK("http://evil.example")')
    page.figures.add(FigureLine(label="@SUM(1+1)", direction="income", amount=Decimal("1")))
    page.save_revision()
    page = publish(page)

    sheet = sheet_of(figures_export(client, page, "xlsx"))
    rows = csv_rows(figures_export(client, page, "csv"))

    labels = [cell.value for cell in sheet["A"]]
    assert "@SUM(1+1)" in labels
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert ["'@SUM(1+1)", "Income", "1.00"] in rows
    board_sheet = sheet_of(board_export(client, committee, "xlsx"))
    assert board_sheet["A2"].value == page.title and board_sheet["A2"].data_type == "s"
    assert csv_rows(board_export(client, committee, "csv"))[1][0] == "'" + page.title
