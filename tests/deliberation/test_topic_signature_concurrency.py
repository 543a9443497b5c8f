"""The last signatures of a joint proposal arriving at once promote it exactly once
(PostgreSQL)."""

import os
import threading

import pytest
from django.db import close_old_connections, connection

from deliberation.topics import proposals
from deliberation.topics.models import TopicStatus
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="concurrent writers need PostgreSQL (CI's second pass); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]

SIGNERS = 8


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_concurrent_signatures_promote_the_proposal_once(make_person, committee, grid):
    # 20 adult residents: the proposer and one more reach 1/10; eight sign at once.
    people = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(20)]
    topic = proposals.joint_proposal_start(
        committee=committee, by=people[0], title="增设充电桩", description="电动车充电难。"
    )
    start = threading.Barrier(SIGNERS)
    errors, promoted = [], []

    def sign(person):
        try:
            start.wait()
            promoted.append(proposals.proposal_sign(topic=topic, person=person))
        except Exception as error:  # a refusal after promotion is expected, others not
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign, args=(p,)) for p in people[1 : SIGNERS + 1]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    topic.refresh_from_db()
    assert topic.status == TopicStatus.DISCUSSION
    assert topic.history.filter(to_status=TopicStatus.DISCUSSION).count() == 1
    assert LedgerEntry.objects.filter(kind="topic.threshold_reached").count() == 1
    # The first to get the lock promoted it; the others found it no longer collecting.
    assert promoted == [True]
    assert len(errors) == SIGNERS - 1
    assert ledger_verify().ok
