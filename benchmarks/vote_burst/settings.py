"""The project's production settings, plus the two reference views' URLs.

Nothing else changes: the servers under test run the same middleware, session engine
(cached_db on Redis), CSRF checks and database settings as a deployment. Only where
collectstatic writes is moved out of the checkout, so that a benchmark run does not
touch the `staticfiles/` another process may be serving from.
"""

import os
from pathlib import Path

from townhall.settings import *  # noqa: F403
from townhall.settings import BASE_DIR

ROOT_URLCONF = "benchmarks.vote_burst.urls"

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", BASE_DIR / "staticfiles"))
