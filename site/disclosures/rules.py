"""Disclosure rules (Art 34 and local practice) as pure functions."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_DISPLAY_DAYS = 15  # Art 34: shown for at least 15 days


class Category(models.TextChoices):
    """The seven things Art 34 says must be disclosed."""

    DECISIONS = "decisions", _("Assembly decisions and their implementation")
    FUNDS = "funds", _("Government funds and donated money and goods")
    FACILITIES = "facilities", _("Facilities the committee owns or uses")
    SERVICES = "services", _("Community service projects")
    CONSULTATIONS = "consultations", _("Consultation outcomes and follow-up")
    GOVERNMENT = "government", _("Work done to assist government")
    OTHER = "other", _("Other matters of general concern")


def display_days(shown_from: date, shown_until: date) -> int:
    """Days on display, both ends included: 1 to 15 March is 15 days."""
    return (shown_until - shown_from).days + 1


def display_span_ok(shown_from: date, shown_until: date) -> bool:
    return display_days(shown_from, shown_until) >= MIN_DISPLAY_DAYS


def on_display(shown_from: date, shown_until: date, today: date) -> bool:
    return shown_from <= today <= shown_until


@dataclass(frozen=True)
class Totals:
    income: Decimal
    spending: Decimal

    @property
    def balance(self) -> Decimal:
        return self.income - self.spending


def figure_totals(lines: list[tuple[str, Decimal]]) -> Totals:
    """Totals are computed, never typed: (direction, amount) pairs → income, spending."""
    income = sum((amount for direction, amount in lines if direction == "income"), Decimal(0))
    spending = sum((amount for direction, amount in lines if direction == "spending"), Decimal(0))
    return Totals(income=income, spending=spending)
