"""Exactly once under concurrent requests, and a count that never misses a ballot
(PostgreSQL, one connection per thread)."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from voting import selectors, services
from voting.models import Ballot, Participation, Poll
from voting.services import BallotRefused

from ..conftest import give_totp
from ..factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory
from .conftest import choose

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="concurrent writers need PostgreSQL (CI's second pass); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


def all_at_once(calls):
    """Run the calls in threads released together; (results, refusals, errors)."""
    start = threading.Barrier(len(calls))
    results, refusals, errors = [], [], []

    def run(call):
        try:
            start.wait()
            results.append(call())
        except BallotRefused as refused:
            refusals.append(refused)
        except Exception as error:  # reported by the assertions
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, refusals, errors


def open_poll_of(count: int):
    committee = CommitteeFactory()
    grid = GridFactory(committee=committee)
    chair = UserFactory()
    MembershipFactory(person=chair, committee=committee, role=Role.CHAIR)
    give_totp(chair)
    voters = [UserFactory() for _ in range(count)]
    for voter in voters:
        MembershipFactory(person=voter, committee=committee, role=Role.RESIDENT, grid=grid)
    poll = services.poll_create(
        committee=committee,
        by=chair,
        title="是否同意加装电梯",
        method=Poll.Method.YES_NO,
        closes_at=timezone.now() + timedelta(hours=1),
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
    )
    return services.poll_open(poll=poll, by=chair), voters, chair


def test_fifty_simultaneous_ballots_of_one_voter_count_once():
    poll, (voter,), _chair = open_poll_of(1)
    content = choose(poll, "yes")

    results, refusals, errors = all_at_once(
        [lambda: services.ballot_cast(poll=poll, voter=voter, content=content)] * 50
    )

    assert errors == []
    assert len(results) == 1
    assert [r.code for r in refusals] == ["already_voted"] * 49
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.get(poll=poll).receipt == results[0]


def test_fifty_voters_at_once_are_fifty_ballots():
    poll, voters, _chair = open_poll_of(50)
    content = choose(poll, "no")

    results, refusals, errors = all_at_once(
        [
            lambda voter=voter: services.ballot_cast(poll=poll, voter=voter, content=content)
            for voter in voters
        ]
    )

    assert (errors, refusals) == ([], [])
    assert len(set(results)) == 50
    assert Ballot.objects.filter(poll=poll).count() == 50
    assert selectors.turnout(poll) == {"voted": 50, "eligible": 50}


def test_a_close_racing_with_ballots_counts_exactly_the_ballots_kept():
    poll, voters, chair = open_poll_of(40)
    content = choose(poll, "yes")
    calls = [
        lambda voter=voter: services.ballot_cast(poll=poll, voter=voter, content=content)
        for voter in voters
    ]
    calls.insert(20, lambda: services.poll_close(poll=poll, by=chair, reason="会议结束"))

    results, refusals, errors = all_at_once(calls)

    assert errors == []
    assert {r.code for r in refusals} <= {"closed"}
    receipts = [r for r in results if isinstance(r, str)]
    assert len(receipts) + len(refusals) == 40
    counted = Poll.objects.get(pk=poll.pk)
    assert counted.status == Poll.Status.CLOSED
    kept = set(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))
    assert kept == set(receipts)  # every receipt handed out is on the board, no other
    assert counted.result["cast"] == len(kept) == counted.result["yes"]
    assert Participation.objects.filter(poll=poll).count() == len(kept)


def test_many_readers_after_the_closing_time_count_once():
    poll, voters, _chair = open_poll_of(3)
    for voter in voters:
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    results, _refusals, errors = all_at_once(
        [lambda: selectors.poll_for_read(poll.pk).status for _ in range(20)]
    )

    assert errors == [] and results == [Poll.Status.CLOSED] * 20
    assert LedgerEntry.objects.filter(kind="poll.counted").count() == 1
    assert Poll.objects.get(pk=poll.pk).result["cast"] == 3
