"""Appends from many requests at once still make one gapless chain (PostgreSQL)."""

import os
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from townhall.ledger.services import ledger_append
from townhall.ledger.verification import ledger_verify

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="concurrent writers need PostgreSQL (CI's second pass); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 8
EACH = 10


def test_concurrent_appends_form_one_gapless_chain():
    start = threading.Barrier(WRITERS)
    errors = []

    def write(n):
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    ledger_append(kind="test.concurrent", subject=f"test:{n}-{i}", content={"i": i})
        except Exception as error:  # reported below, with the thread's number
            errors.append((n, error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    result = ledger_verify()
    assert result.ok, result.reason
    assert result.checked == WRITERS * EACH
