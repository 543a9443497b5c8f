"""Disclosure rules (Art 34 and local practice) as pure functions."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

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
    zero = Decimal("0.00")  # so that an empty side reads 0.00, like the amounts
    income = sum((amount for direction, amount in lines if direction == "income"), zero)
    spending = sum((amount for direction, amount in lines if direction == "spending"), zero)
    return Totals(income=income, spending=spending)


# --- The disclosure schedule (公开计划) ------------------------------------------------
# Art 34 leaves the frequency to local policy. The defaults follow the village
# analogue: finances monthly, regular items at least quarterly, major items at once.


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    AFTER_EVENT = "after_event", _("Within days of the decision")


class Status(models.TextChoices):
    DONE = "done", _("Up to date")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


# Days after a period ends by which its disclosure must be out: a month's finances by
# the 10th of the next month, a quarter's regular items by the 15th day after it.
GRACE_DAYS: dict[str, int] = {Frequency.MONTHLY: 10, Frequency.QUARTERLY: 15}

# Major items: disclosed within this many days of the decision.
DAYS_AFTER_EVENT = 5

SCHEDULE_DEFAULTS: dict[str, str] = {
    Category.FUNDS: Frequency.MONTHLY,
    Category.FACILITIES: Frequency.QUARTERLY,
    Category.SERVICES: Frequency.QUARTERLY,
    Category.GOVERNMENT: Frequency.QUARTERLY,
    Category.OTHER: Frequency.QUARTERLY,
    Category.DECISIONS: Frequency.AFTER_EVENT,
    Category.CONSULTATIONS: Frequency.AFTER_EVENT,
}


class Period(NamedTuple):
    start: date
    end: date
    due_by: date


def period_due(frequency: str, today: date, grace_days: int | None = None) -> Period:
    """The latest calendar period that has ended before today, and the last day its
    disclosure may come out: `grace_days` after the period's end (10 for a month,
    15 for a quarter unless given). On 5 November the monthly period due is October,
    due by 10 November; the quarterly one is July to September, due by 15 October.

    Only the latest period is reported: a month missed before it is not carried
    forward here."""
    if frequency == Frequency.MONTHLY:
        end = today.replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
    elif frequency == Frequency.QUARTERLY:
        quarter_first_month = 3 * ((today.month - 1) // 3) + 1
        end = date(today.year, quarter_first_month, 1) - timedelta(days=1)
        start = date(end.year, end.month - 2, 1)
    else:
        raise ValueError(f"{frequency!r} has no calendar period; see event_due()")
    if grace_days is None:
        grace_days = GRACE_DAYS[frequency]
    return Period(start=start, end=end, due_by=end + timedelta(days=grace_days))


def event_due(decided_on: date, days_after_event: int = DAYS_AFTER_EVENT) -> Period:
    """A major item: its "period" is the day of the decision, due within the days given."""
    return Period(
        start=decided_on, end=decided_on, due_by=decided_on + timedelta(days=days_after_event)
    )


def status(
    latest_disclosed_period_end: date | None,
    period_end: date | None,
    due_by: date | None,
    today: date,
) -> Status:
    """Done once a disclosure reaches the period's end; until then due up to and
    including `due_by`, overdue from the next day.

    Event-driven categories pass the decision's date as `period_end` and its deadline
    as `due_by` (event_due); with no decision awaiting disclosure both are None and
    nothing is owed."""
    if period_end is None or due_by is None:
        return Status.DONE
    if latest_disclosed_period_end is not None and latest_disclosed_period_end >= period_end:
        return Status.DONE
    if today <= due_by:
        return Status.DUE
    return Status.OVERDUE
