"""Publishing, the ledger, corrections, and what residents see."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.services import correction_start
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import UserFactory
from .conftest import publish

pytestmark = pytest.mark.django_db


def test_a_span_shorter_than_fifteen_days_is_refused_with_the_first_allowed_date(board):
    page = DisclosurePage(
        title="公示",
        category="funds",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        body="<p>x</p>",
        shown_from=date(2026, 11, 1),
        shown_until=date(2026, 11, 10),
    )
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        page.clean()

    message = " ".join(refused.value.message_dict["shown_until"])
    assert "at least 15 days" in message
    assert "2026-11-15" in message


def test_publishing_writes_a_ledger_entry_with_the_content_hash(draft):
    staff = UserFactory(is_staff=True, is_superuser=True)
    page = publish(draft(), user=staff)

    entry = LedgerEntry.objects.get(subject=f"disclosures.disclosurepage:{page.pk}")
    assert entry.kind == "disclosure.published"
    assert entry.actor == staff
    assert ledger_verify().ok


def test_editing_a_published_disclosure_behind_the_ledgers_back_is_found(draft):
    page = publish(draft())
    DisclosurePage.objects.filter(pk=page.pk).update(body="<p>悄悄改过的内容</p>")

    result = ledger_verify()

    assert not result.ok
    assert "changed after" in result.reason


def test_changing_a_figure_behind_the_ledgers_back_is_found(draft):
    page = publish(draft())
    page.figures.filter(label="楼道照明维修").update(amount=12)

    assert not ledger_verify().ok


def test_residents_see_the_figures_with_computed_totals(client, draft):
    page = publish(draft())

    response = client.get(page.url)

    text = response.content.decode()
    assert response.status_code == 200
    assert "楼道照明维修" in text
    assert "5000.00" in text  # income
    assert "1200.50" in text  # spending
    assert "3799.50" in text  # balance, computed


def test_a_correction_links_both_ways_and_the_original_stays(client, draft):
    original = publish(draft())
    correction = correction_start(original=original, by=UserFactory())
    assert not correction.live
    correction.figures.filter(label="楼道照明维修").update(amount=1250)
    correction.save_revision()
    correction = publish(correction)

    client.cookies["django_language"] = "en"
    original_page = client.get(original.url).content.decode()
    correction_page = client.get(correction.url).content.decode()
    assert "Corrected on" in original_page and correction.url in original_page
    assert "This is a correction of" in correction_page and original.url in correction_page
    assert "1200.50" in original_page  # the original is not rewritten
    assert LedgerEntry.objects.get(subject=f"disclosures.disclosurepage:{correction.pk}").kind == (
        "disclosure.correction_published"
    )
    assert ledger_verify().ok


def test_withdrawing_a_disclosure_is_recorded(draft):
    page = publish(draft())

    page.unpublish(user=UserFactory(is_staff=True, is_superuser=True))

    kinds = list(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["disclosure.published", "disclosure.withdrawn"]
    assert ledger_verify().ok


def test_the_board_lists_what_is_on_display_and_filters_by_category(client, draft, board):
    funds = publish(draft(title="经费收支"))
    old = publish(
        draft(
            title="去年的服务项目",
            category="services",
            shown_from=date.today() - timedelta(days=60),
            shown_until=date.today() - timedelta(days=30),
        )
    )

    everything = client.get(board.url).content.decode()
    services_only = client.get(board.url, {"category": "services"}).content.decode()

    assert funds.title in everything and old.title in everything
    assert everything.index(funds.title) < everything.index(old.title)  # on display first
    assert old.title in services_only and funds.title not in services_only


def test_editor_of_a_published_disclosure_is_offered_a_correction_instead(client, draft):
    page = publish(draft())
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert reverse("disclosures_correct", args=[page.pk]) in response.content.decode()

    created = client.post(reverse("disclosures_correct", args=[page.pk]))
    correction = DisclosurePage.objects.get(corrects=page)
    assert created["Location"] == reverse("wagtailadmin_pages:edit", args=[correction.pk])
    assert not correction.live


def test_search_finds_disclosures_across_committees_and_filters_by_committee(
    client, draft, board, wagtail_site
):
    from townhall.disclosures.models import DisclosureIndexPage

    from ..factories import CommitteeFactory

    other_committee = CommitteeFactory(name="和平巷居委会", slug="hepingxiang")
    other_board = wagtail_site.add_child(
        instance=DisclosureIndexPage(title="和平巷公开栏", slug="heping", committee=other_committee)
    )
    mine = publish(draft(title="幸福里电梯加装公示"))
    other = other_board.add_child(
        instance=DisclosurePage(
            title="和平巷电梯加装公示",
            category="consultations",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            body="<p>电梯</p>",
            shown_from=date.today(),
            shown_until=date.today() + timedelta(days=20),
        )
    )
    other.save_revision().publish()

    everywhere = client.get(reverse("disclosure_search"), {"q": "电梯"}).content.decode()
    only_heping = client.get(
        reverse("disclosure_search"), {"q": "电梯", "committee": "hepingxiang"}
    ).content.decode()

    assert mine.title in everywhere and "和平巷电梯加装公示" in everywhere
    assert "和平巷电梯加装公示" in only_heping and mine.title not in only_heping
