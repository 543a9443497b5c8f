"""Auditors raise findings, staff respond, only an auditor closes; all in the ledger."""

import re

import pytest
from django.urls import reverse

from townhall.accounts.models import Notification
from townhall.audit.models import Finding
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..conftest import give_totp
from ..disclosures.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_person, committee):
    person = make_person(committee, Role.SUPERVISOR, real_name="赵德明")
    give_totp(person)
    return person


@pytest.fixture
def staff(make_person, committee):
    person = make_person(committee, Role.STAFF, real_name="周敏")
    give_totp(person)
    return person


@pytest.fixture
def published(draft):
    return publish(draft())


def raise_finding(client, page, text="维修费发票缺失"):
    url = reverse("audit:finding_new") + f"?subject=disclosures.disclosurepage:{page.pk}"
    return client.post(url, {"severity": "concern", "text": text})


def test_auditor_raises_a_finding_on_a_disclosure_and_staff_are_told(
    client, auditor, staff, published
):
    client.force_login(auditor)

    response = raise_finding(client, published)

    finding = Finding.objects.get()
    assert response["Location"] == reverse("audit:finding", args=[finding.pk])
    assert finding.subject_title == published.title
    assert Notification.objects.filter(recipient=staff).exists()
    assert LedgerEntry.objects.filter(kind="finding.raised").exists()
    assert ledger_verify().ok


def test_staff_respond_but_cannot_close(client, auditor, staff, published):
    client.force_login(auditor)
    raise_finding(client, published)
    finding = Finding.objects.get()
    client.force_login(staff)

    client.post(reverse("audit:finding_respond", args=[finding.pk]), {"text": "发票已补上传"})
    closing = client.post(reverse("audit:finding_close", args=[finding.pk]), {"note": ""})

    finding.refresh_from_db()
    assert finding.status == Finding.Status.RESPONDED
    assert closing.status_code == 403


def test_only_the_auditor_closes_and_the_closing_is_recorded(client, auditor, staff, published):
    client.force_login(auditor)
    raise_finding(client, published)
    finding = Finding.objects.get()

    client.post(reverse("audit:finding_close", args=[finding.pk]), {"note": "已核实"})

    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED
    assert finding.closed_by == auditor
    assert LedgerEntry.objects.filter(kind="finding.closed").exists()
    assert ledger_verify().ok


def test_a_finding_edited_behind_the_ledgers_back_is_found(client, auditor, published):
    client.force_login(auditor)
    raise_finding(client, published)
    Finding.objects.update(text="改写过的意见")

    assert not ledger_verify().ok


def test_empty_finding_keeps_the_form(client, auditor, published):
    client.force_login(auditor)
    client.cookies["django_language"] = "en"

    response = raise_finding(client, published, text="")

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Finding.objects.exists()


def test_staff_cannot_raise_findings(client, staff, published):
    client.force_login(staff)

    response = raise_finding(client, published)

    assert response.status_code == 403


def test_workspace_lists_the_review_trail_and_open_queries(client, auditor, published, resident):
    from townhall.disclosures.models import DisclosureQuery

    DisclosureQuery.objects.create(page=published, asked_by=resident, question="发票在哪里？")
    client.force_login(auditor)

    page = client.get(reverse("audit:committee", args=[published.committee.slug])).content.decode()

    assert published.title in page
    assert "发票在哪里？" in page


def test_ledger_page_names_the_first_bad_entry(client, auditor, published):
    from django.db import connection

    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    assert "Verified: 1 entry" in client.get(reverse("audit:ledger")).content.decode()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_ledgerentry SET kind = 'forged'")
    page = client.get(reverse("audit:ledger")).content.decode()

    assert "NOT verified: entry #1" in page


def test_anyone_can_download_the_ledger(client, published):
    response = client.get(reverse("audit:ledger_export"))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1
    assert '"seq":1' in lines[0]


def test_a_resident_cannot_open_the_workspace(client, resident):
    client.force_login(resident)

    assert client.get(reverse("audit:workspace")).status_code == 403


def test_workspace_shows_what_is_overdue(client, auditor, committee):
    from townhall.disclosures.models import schedule_defaults_ensure

    schedule_defaults_ensure(committee)
    client.force_login(auditor)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("audit:workspace")).content.decode()

    # Nothing disclosed at all: the 5 monthly and quarterly categories are each due or
    # overdue (which, depends on today's date); the 2 event-driven ones have nothing owed.
    assert "Government funds and donated money and goods" in page
    owed = len(re.findall(r'badge--(?:warn|bad)">(?:Due|Overdue)<', page))
    up_to_date = len(re.findall(r'badge--ok">Up to date<', page))
    assert (owed, up_to_date) == (5, 2)


def test_records_page_says_which_disclosure_awaits_review(client, auditor, draft):
    from townhall.disclosures.models import DisclosurePage

    page = draft(title="待审的公示")
    page.get_workflow().start(page, None)
    client.force_login(auditor)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("audit:committee", args=[page.committee.slug])).content.decode()

    assert "待审的公示" in html and "Awaiting review" in html
    assert not DisclosurePage.objects.get(pk=page.pk).live


def test_auditor_downloads_everything_as_one_workbook(client, auditor, published, resident):
    import io

    from openpyxl import load_workbook

    from townhall.disclosures.models import DisclosureQuery

    DisclosureQuery.objects.create(page=published, asked_by=resident, question="发票在哪里？")
    client.force_login(auditor)
    raise_finding(client, published)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("audit:export_all", args=[published.committee.slug, "all", "xlsx"])
    )

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Review trail", "Due and overdue", "Open queries", "Findings"]
    assert book["Open queries"]["C2"].value == "发票在哪里？"
    assert book["Findings"]["E2"].value == "维修费发票缺失"
    assert book["Findings"]["A2"].is_date


def test_findings_csv_opens_with_chinese_intact(client, auditor, published):
    import csv
    import io

    client.force_login(auditor)
    raise_finding(client, published)

    response = client.get(
        reverse("audit:export", args=[published.committee.slug, "findings", "csv"])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "维修费发票缺失"


def test_a_resident_cannot_download_the_workspace(client, resident, committee):
    client.force_login(resident)

    response = client.get(reverse("audit:export", args=[committee.slug, "findings", "csv"]))

    assert response.status_code == 403
