"""Which version is in force on a day: the law's table, then the same against the database."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.charters.models import CharterKind
from townhall.charters.selectors import (
    charter_history,
    charter_version_in_force,
    charter_versions_upcoming,
    charters_overview,
    in_force_among,
)

JAN, MAR, JUN = date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1)

# versions as (number, effective_from); the day asked about; the number in force.
IN_FORCE = [
    ("nothing recorded", [], MAR, None),
    ("adopted, not yet in force", [(1, JUN)], MAR, None),
    ("in force from its first day", [(1, MAR)], MAR, 1),
    ("the day before an amendment takes effect", [(1, JAN), (2, JUN)], date(2026, 5, 31), 1),
    ("the day an amendment takes effect", [(1, JAN), (2, JUN)], JUN, 2),
    ("long after", [(1, JAN), (2, MAR), (3, JUN)], date(2030, 1, 1), 3),
    ("two taking effect the same day: the later adopted", [(1, MAR), (2, MAR)], MAR, 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("versions", "on", "expected"), [c[1:] for c in IN_FORCE], ids=[c[0] for c in IN_FORCE]
)
def test_version_in_force_follows_the_table(versions, on, expected):
    dated = [SimpleNamespace(number=n, effective_from=d) for n, d in versions]

    found = in_force_among(dated, on)

    assert (found.number if found else None) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("versions", "on", "expected"), [c[1:] for c in IN_FORCE], ids=[c[0] for c in IN_FORCE]
)
def test_database_agrees_with_the_table(versions, on, expected, charter, adopt):
    for number, effective_from in versions:
        adopt(charter, f"第一条 第{number}版。", effective_from=effective_from)

    found = charter_version_in_force(page=charter, on=on)
    history = charter_history(page=charter, on=on)

    assert (found.number if found else None) == expected
    assert [row.version.number for row in history if row.in_force] == (
        [expected] if expected else []
    )
    upcoming = [n for n, d in versions if d > on]
    assert [v.number for v in charter_versions_upcoming(page=charter, on=on)] == upcoming
    assert sorted(row.version.number for row in history if row.upcoming) == upcoming


@pytest.mark.django_db
def test_history_lists_newest_first_with_superseded_versions(charter, adopt):
    for number, effective_from in [(1, JAN), (2, MAR), (3, JUN)]:
        adopt(charter, f"第{number}版", effective_from=effective_from)

    history = charter_history(page=charter, on=date(2026, 4, 1))

    assert [(row.version.number, row.status) for row in history] == [
        (3, "upcoming"),
        (2, "in_force"),
        (1, "superseded"),
    ]


@pytest.mark.django_db
def test_overview_takes_the_same_queries_for_one_charter_or_six(index, make_charter, adopt):
    def overview_queries():
        with CaptureQueriesContext(connection) as queries:
            overview = charters_overview(index=index, on=MAR)
        return len(queries), overview

    adopt(make_charter(CharterKind.SELF_GOVERNANCE), "章程", effective_from=JAN)
    one, _overview = overview_queries()
    for kind in list(CharterKind)[1:]:
        adopt(make_charter(kind, title=kind.label), "规则", effective_from=JAN)
        adopt(make_charter(kind, title=kind.label, slug=f"{kind}-2"), "新规则", effective_from=JUN)

    six, overview = overview_queries()

    assert six == one
    assert len(overview) == 11
    assert all(item.in_force or item.upcoming for item in overview)
