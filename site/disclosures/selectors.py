"""Reads for the disclosure board and a disclosure's page."""

from datetime import date

from django.utils import timezone

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
        "has_figures": page.figures.exists(),
        "on_display": rules.on_display(page.shown_from, page.shown_until, today),
        "corrections": page.corrections.live().order_by("first_published_at"),
        "ledger_entry": entry,
    }
