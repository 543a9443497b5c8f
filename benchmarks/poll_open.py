"""Does opening a poll of 30,000 electors return at once? Builds a throwaway database
(SQLite in memory, or DATABASE_URL's server under a test_ name) with one committee of
verified residents, opens a poll of them as the chair's request does (`poll_open`, the
electorate frozen, the announcement queued on commit), then runs the background worker
that tells them, and prints both times.

    .venv/bin/python benchmarks/poll_open.py [--electors 30000]
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ["SMS_BACKEND"] = "townhall.accounts.sms.LocmemBackend"

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

BATCH = 5000
# Shares of the electorate who asked for announcements by SMS and by email.
BY_SMS, BY_EMAIL = 10, 20  # one in 10, one in 20


def populate(electors: int):
    from townhall.accounts.models import User
    from townhall.community.models import Community, Grid, Membership, ResidentsCommittee, Role
    from voting import services
    from voting.models import Poll

    community = Community.objects.create(name="基准社区", slug="bench")
    committee = ResidentsCommittee.objects.create(
        community=community, name="基准居委会", slug="bench"
    )
    grid = Grid.objects.create(committee=committee, name="第一网格")
    chair = User.objects.create(username="chair", real_name="主任", display_name="主任")
    Membership.objects.create(person=chair, committee=committee, role=Role.CHAIR)
    # Officials act with two-step verification on.
    Authenticator.objects.create(
        user=chair, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    people = User.objects.bulk_create(
        (
            User(
                username=f"r{n}",
                real_name=f"居民{n}",
                display_name=f"邻居{n}",
                phone=f"+86139{n:08d}",
                phone_verified=True,
                announcements_by_sms=n % BY_SMS == 0,
                announcements_by_email=n % BY_EMAIL == 0,
            )
            for n in range(electors)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(person=person, committee=committee, role=Role.RESIDENT, grid=grid)
            for person in people
        ),
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        (
            EmailAddress(user=person, email=f"r{n}@example.com", verified=True, primary=True)
            for n, person in enumerate(people)
            if n % BY_EMAIL == 0
        ),
        batch_size=BATCH,
    )
    poll = services.poll_create(
        committee=committee,
        by=chair,
        title="是否同意在3号楼加装电梯",
        method=Poll.Method.YES_NO,
        closes_at=timezone.now() + timedelta(days=3),
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
    )
    return poll, chair


def main() -> None:
    from django_tasks_db.models import DBTaskResult

    from townhall.accounts import sms
    from townhall.accounts.models import Notification
    from voting import services

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=30_000)
    args = parser.parse_args()

    setup_test_environment()  # the locmem email backend: mail.outbox
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        poll, chair = populate(args.electors)
        print(
            f"{connection.vendor}: {args.electors} verified residents, built in "
            f"{time.perf_counter() - started:.1f} s"
        )

        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            poll = services.poll_open(poll=poll, by=chair)  # commits, then queues the task
            opened = time.perf_counter() - started
        told_in_request = Notification.objects.count()
        queued = DBTaskResult.objects.filter(status="READY").count()

        started = time.perf_counter()
        call_command(
            "db_worker", "--backend", "background", "--batch", "--no-startup-delay", verbosity=0
        )
        worked = time.perf_counter() - started
        result = DBTaskResult.objects.get()

        print(f"{'step':44} {'seconds':>8} {'queries':>8}")
        print(
            f"{'open the poll (the request: electorate frozen)':44} {opened:8.2f} "
            f"{len(captured):8d}"
        )
        print(f"{'tell the electorate (the worker)':44} {worked:8.2f}")
        print(
            f"electors {poll.eligible}; told in the request {told_in_request}; tasks queued "
            f"{queued}; task {result.status}; inbox messages {Notification.objects.count()}; "
            f"SMS {len(sms.outbox)}; email {len(mail.outbox)}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
