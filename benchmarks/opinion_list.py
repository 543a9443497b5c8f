"""How fast is a committee's opinion list with 10,000 opinions? Builds a throwaway
database (SQLite in memory, or DATABASE_URL's server under a test_ name), fills it, asks
for the list page with Django's test client and prints the median time and query count
of each request.

    .venv/bin/python benchmarks/opinion_list.py [--opinions 10000] [--repeat 15]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")

import warnings

import django

# Requests are served without collectstatic here, as in tests.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

GRIDS = 12
AUTHORS = 600
HOUSEHOLDS_PER_GRID = 150


def populate(opinions: int) -> dict:
    from deliberation.opinions.models import Category, Kind, Opinion, Second, Status
    from townhall.accounts.models import User
    from townhall.community.models import Community, Grid, Household, ResidentsCommittee

    rng = random.Random(2026)
    community = Community.objects.create(name="基准社区", slug="bench")
    committee = ResidentsCommittee.objects.create(
        community=community, name="基准居委会", slug="bench"
    )
    grids = Grid.objects.bulk_create(
        Grid(committee=committee, name=f"第{n}网格") for n in range(1, GRIDS + 1)
    )
    Household.objects.bulk_create(
        Household(grid=grid, address=f"{grid.pk}-{n}栋")
        for grid in grids
        for n in range(HOUSEHOLDS_PER_GRID)
    )
    people = User.objects.bulk_create(
        User(username=f"bench{n}", real_name=f"居民{n}", display_name=f"邻居{n}")
        for n in range(AUTHORS)
    )
    now = timezone.now()
    categories, statuses = list(Category.values), [Status.SUBMITTED, Status.CONSIDERING]
    rows = Opinion.objects.bulk_create(
        (
            Opinion(
                committee=committee,
                grid=rng.choice(grids),
                author=rng.choice(people),
                recorded_by=rng.choice(people) if n % 7 == 0 else None,
                kind=Kind.PROPOSAL if n % 5 == 0 else Kind.OPINION,
                title=f"第{n}条意见：楼道、停车或绿化",
                body="基准测试的意见正文。" * 10,
                category=rng.choice(categories),
                status=rng.choice(statuses),
                seconds_count=rng.randint(0, 12),
                hidden_at=now if n % 97 == 0 else None,
                hidden_reason="基准隐藏" if n % 97 == 0 else "",
            )
            for n in range(opinions)
        ),
        batch_size=2000,
    )
    # Spread the dates over two years, and give each opinion its real Second rows.
    for n, opinion in enumerate(rows):
        opinion.submitted_at = now - timedelta(minutes=n * 97)
    Opinion.objects.bulk_update(rows, ["submitted_at"], batch_size=2000)
    Second.objects.bulk_create(
        (
            Second(opinion=opinion, person=person)
            for opinion in rows
            for person in rng.sample(people, opinion.seconds_count)
        ),
        batch_size=5000,
    )
    return {
        "committee": committee,
        "grid": grids[3],
        "category": Category.PARKING,
        "seconds": Second.objects.count(),
    }


def measure(client: Client, url: str, params: dict, repeat: int) -> tuple[float, int, int]:
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
        queries = len(captured)
    return statistics.median(timings), queries, len(response.context["page"].object_list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opinions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with override_settings(STORAGES=storages):
            started = time.perf_counter()
            data = populate(args.opinions)
            print(
                f"{connection.vendor}: {args.opinions} opinions, {data['seconds']} seconds, "
                f"{GRIDS} grids, built in {time.perf_counter() - started:.1f} s; "
                f"median of {args.repeat} requests each"
            )
            url = reverse("deliberation:opinion_list", args=[data["committee"].slug])
            cases = [
                ("first page", {}),
                ("page 200", {"page": 200}),
                ("sort: newest", {"sort": "newest"}),
                ("sort: most seconded", {"sort": "seconds"}),
                ("sort: most seconded, page 200", {"sort": "seconds", "page": 200}),
                ("category + grid", {"category": data["category"], "grid": data["grid"].pk}),
            ]
            client = Client()
            print(f"{'request':34} {'median ms':>10} {'queries':>8} {'rows':>5}")
            for label, params in cases:
                median, queries, rows = measure(client, url, params, args.repeat)
                print(f"{label:34} {median:10.1f} {queries:8d} {rows:5d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
