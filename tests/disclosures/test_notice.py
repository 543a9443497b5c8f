"""The printed notice of a published disclosure for the physical notice board."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from townhall.community.models import Role
from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.notice import fingerprint_groups, qr_svg
from townhall.disclosures.review import disclosure_review_decide
from townhall.disclosures.services import correction_start
from townhall.ledger.models import LedgerEntry

from ..conftest import give_totp
from ..factories import UserFactory
from .conftest import publish

pytestmark = pytest.mark.django_db


def notice_of(client, page, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("disclosures:notice", args=[page.pk]))


def test_qr_code_is_an_svg_path_and_the_same_for_the_same_address():
    svg = qr_svg("https://townhall.example/board/october-funds/")

    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<path" in svg
    assert svg == qr_svg("https://townhall.example/board/october-funds/")
    assert svg != qr_svg("https://townhall.example/board/november-funds/")


def test_fingerprint_is_printed_as_four_groups_of_four():
    assert fingerprint_groups("3f9a0c71be22d4e5" + "0" * 48) == "3f9a 0c71 be22 d4e5"


def test_notice_of_a_published_disclosure_carries_what_the_board_needs(client, draft, committee):
    page = publish(draft())
    entry = LedgerEntry.objects.get(subject=f"disclosures.disclosurepage:{page.pk}")

    response = notice_of(client, page)

    text = response.content.decode()
    assert response.status_code == 200
    assert committee.name in text
    assert page.title in text
    assert "Government funds and donated money and goods" in text  # the category
    # Dates are <time> elements, so a phone at large text never breaks one at a hyphen.
    assert (
        'period <time datetime="2026-10-01">2026-10-01</time> – '
        '<time datetime="2026-10-31">2026-10-31</time>'
    ) in text
    assert "楼道照明维修" in text
    assert "5000.00" in text and "1200.50" in text and "3799.50" in text  # totals computed
    assert fingerprint_groups(entry.entry_hash) in text
    assert entry.entry_hash in text
    assert "Anyone can verify it against the ledger export" in text
    assert "<svg" in text and "<path" in text
    assert f"http://testserver{page.url}" in text  # the address the QR code holds


def test_notice_is_the_notice_alone_without_the_site_chrome(client, draft):
    page = publish(draft())

    text = notice_of(client, page).content.decode()

    assert 'class="site-header"' not in text
    assert "bottom-nav" not in text
    assert "site-footer" not in text


def test_draft_has_no_notice(client, draft):
    page = draft()

    assert notice_of(client, page).status_code == 404


def test_withdrawn_disclosure_has_no_notice(client, draft):
    page = publish(draft())
    page.unpublish()

    assert notice_of(client, page).status_code == 404


def test_disclosure_behind_a_view_restriction_has_no_public_notice(client, draft):
    page = publish(draft())
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    assert notice_of(client, page).status_code == 404


def test_notice_says_when_the_supervision_committee_reviewed_it(
    client, draft, make_person, committee
):
    supervisor = make_person(committee, Role.SUPERVISOR, real_name="赵德明")
    give_totp(supervisor)
    page = draft()
    page.get_workflow().start(page, UserFactory(is_staff=True, is_superuser=True))
    page = DisclosurePage.objects.get(pk=page.pk)
    disclosure_review_decide(
        task_state=page.current_workflow_state.current_task_state, user=supervisor, approve=True
    )

    text = notice_of(client, page).content.decode()

    assert "Reviewed by the supervision committee on" in text
    assert "赵德明" in text


def test_notices_of_a_correction_and_its_original_name_each_other(client, draft):
    original = publish(draft(title="十月经费收支"))
    correction = correction_start(original=original, by=UserFactory())
    correction.save_revision()
    correction = publish(correction)

    original_notice = notice_of(client, original).content.decode()
    correction_notice = notice_of(client, correction).content.decode()

    assert "Corrected on" in original_notice and correction.title in original_notice
    assert "This is a correction of:" in correction_notice
    assert "十月经费收支" in correction_notice


def test_disclosure_page_links_to_its_printable_notice(client, draft):
    page = publish(draft())

    text = client.get(page.url).content.decode()

    assert reverse("disclosures:notice", args=[page.pk]) in text
