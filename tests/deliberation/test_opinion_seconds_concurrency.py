"""Concurrent clicks on 附议 keep the count exact (PostgreSQL, many connections)."""

import os
import threading

import pytest
from django.db import close_old_connections, connection

from deliberation.opinions.models import Opinion, Second
from deliberation.opinions.services import opinion_second
from tests.deliberation.factories import OpinionFactory
from townhall.ledger.models import LedgerEntry

from ..factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="concurrent writers need PostgreSQL (CI's second pass); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def residents(grid, count):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        MembershipFactory(person=person, committee=grid.committee, role="resident", grid=grid)
    return people


def all_at_once(calls):
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            start.wait()
            results.append(call())
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_twenty_residents_seconding_at_once_count_twenty():
    grid = GridFactory(committee=CommitteeFactory())
    opinion = OpinionFactory(grid=grid, committee=grid.committee)
    people = residents(grid, 20)

    results, errors = all_at_once(
        [lambda person=person: opinion_second(opinion=opinion, person=person) for person in people]
    )

    assert errors == []
    assert results == [True] * 20
    assert Opinion.objects.get(pk=opinion.pk).seconds_count == 20
    assert Second.objects.filter(opinion=opinion).count() == 20
    # No households in the grid: the threshold is 1, and it is flagged exactly once.
    assert LedgerEntry.objects.filter(kind="opinion.flagged").count() == 1


def test_one_resident_clicking_ten_times_at_once_counts_once():
    grid = GridFactory(committee=CommitteeFactory())
    opinion = OpinionFactory(grid=grid, committee=grid.committee)
    (person,) = residents(grid, 1)

    results, errors = all_at_once(
        [lambda: opinion_second(opinion=opinion, person=person) for _ in range(10)]
    )

    assert errors == []
    assert sorted(results) == [False] * 9 + [True]
    assert Opinion.objects.get(pk=opinion.pk).seconds_count == 1
    assert Second.objects.filter(opinion=opinion).count() == 1
