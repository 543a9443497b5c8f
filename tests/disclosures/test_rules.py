"""The 15-day display rule and computed totals, as tables."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townhall.disclosures import rules


@pytest.mark.parametrize(
    ("shown_from", "shown_until", "ok"),
    [
        (date(2026, 3, 1), date(2026, 3, 15), True),  # 15 days, both ends counted
        (date(2026, 3, 1), date(2026, 3, 14), False),  # 14 days
        (date(2026, 3, 1), date(2026, 3, 1), False),  # one day
        (date(2026, 2, 20), date(2026, 3, 6), True),  # across February's end: 15 days
        (date(2026, 3, 1), date(2026, 2, 1), False),  # ends before it starts
    ],
    ids=["15-days", "14-days", "one-day", "across-month-end", "backwards"],
)
def test_display_span_needs_at_least_fifteen_days(shown_from, shown_until, ok):
    assert rules.display_span_ok(shown_from, shown_until) is ok


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    days=st.integers(min_value=-30, max_value=60),
)
def test_display_span_matches_counting_the_days_one_by_one(start, days):
    from datetime import timedelta

    end = start + timedelta(days=days)
    counted = sum(1 for n in range(0, 400) if start + timedelta(days=n) <= end)
    assert rules.display_span_ok(start, end) is (counted >= 15)


def test_totals_add_income_and_spending_separately():
    totals = rules.figure_totals(
        [
            ("income", Decimal("5000")),
            ("spending", Decimal("1200.50")),
            ("spending", Decimal("99.5")),
        ]
    )

    assert (totals.income, totals.spending, totals.balance) == (
        Decimal("5000"),
        Decimal("1300.00"),
        Decimal("3700.00"),
    )


def test_totals_of_no_lines_are_zero():
    totals = rules.figure_totals([])
    assert (totals.income, totals.spending, totals.balance) == (0, 0, 0)
