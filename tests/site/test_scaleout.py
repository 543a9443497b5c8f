"""The production split works: plain HTTP served by WSGI workers (granian, two worker
processes) and only the websockets by an ASGI server (daphne), joined by the Redis
channel layer. A write made through a WSGI worker reaches a page held open on daphne.

Runs in CI's second pass (PostgreSQL + Redis); skipped on the embedded defaults, where
no second process could see the in-memory database or channel layer.
"""

import json
import os
import subprocess
import sys

import pytest
import requests
from django.conf import settings
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from townhall.community.models import Residency, Role

from ..factories import (
    CommitteeFactory,
    GridFactory,
    MembershipFactory,
    ResidencyFactory,
    UserFactory,
)
from ..servers import BIN, Server, needs_postgres_and_redis
from ..servers import free_port as _free_port
from ..servers import servers_database_url as _test_database_url
from ..servers import session_cookie as _session_cookie

pytestmark = [
    pytest.mark.scaleout,
    needs_postgres_and_redis,
    pytest.mark.django_db(transaction=True),
]

PUSH_TIMEOUT = 10  # seconds for a push to reach the open websocket
IDLE_SECONDS = 8  # the resident's page sits idle this long before the approval


@pytest.fixture(scope="module")
def servers(request, django_db_setup):
    """granian (WSGI, 2 workers) for HTTP and daphne (ASGI) for websockets, both on
    the test database and the same Redis; always stopped at the end of the module."""
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "townhall.settings"),
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "HTTPS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    # As a deployment does before starting the servers: with DEBUG off, pages name
    # their static files through the manifest that collectstatic writes.
    collected = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if collected.returncode != 0:
        pytest.fail(f"collectstatic failed:\n{collected.stdout}\n{collected.stderr}")
    wsgi_port, asgi_port = _free_port(), _free_port()
    started: list[Server] = []

    def stop_all():
        for server in reversed(started):
            server.stop()

    request.addfinalizer(stop_all)
    started.append(
        Server(
            "granian-wsgi",
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "--workers",
                "2",
                "--host",
                "127.0.0.1",
                "--port",
                str(wsgi_port),
                "--no-ws",
                "townhall.wsgi:application",
            ],
            env,
            wsgi_port,
        )
    )
    started.append(
        Server(
            "daphne-asgi",
            [
                str(BIN / "daphne"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(asgi_port),
                "townhall.asgi:application",
            ],
            env,
            asgi_port,
        )
    )
    wsgi, asgi = started
    wsgi.wait_for_healthz()
    asgi.wait_for_port()
    return {"wsgi": wsgi, "asgi": asgi}


def _recv_json(websocket, timeout: float) -> dict:
    return json.loads(websocket.recv(timeout=timeout))


def test_approval_on_a_wsgi_worker_reaches_the_residents_open_page_via_daphne(servers):
    wsgi, asgi = servers["wsgi"], servers["asgi"]
    committee = CommitteeFactory()
    grid = GridFactory(committee=committee)
    worker = UserFactory()
    MembershipFactory(person=worker, committee=committee, role=Role.GRID_WORKER, grid=grid)
    person = UserFactory()
    residency = ResidencyFactory(person=person, grid=grid, address="3栋1单元201")
    assert residency.status == Residency.Status.PENDING

    # The person has a page open: its websocket lives on daphne.
    with ws_connect(
        f"ws://127.0.0.1:{asgi.port}/ws/inbox/",
        origin=f"http://127.0.0.1:{asgi.port}",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={_session_cookie(person)}"},
        open_timeout=10,
    ) as websocket:
        assert _recv_json(websocket, timeout=10) == {"event": "inbox.unread", "unread": 0}
        # A page stays open a while before anything happens: longer than one blocking
        # receive of channels_redis (5 s), so an idle consumer must survive it.
        try:
            message = websocket.recv(timeout=IDLE_SECONDS)
        except TimeoutError:
            pass  # quiet, as it should be
        except ConnectionClosed as closed:
            asgi.fail(f"the idle inbox websocket was closed within {IDLE_SECONDS}s: {closed}")
        else:
            pytest.fail(f"unexpected message while nothing happened: {message!r}")

        # The grid worker, on a WSGI worker, opens the queue and approves the claim.
        browser = requests.Session()
        browser.cookies.set(settings.SESSION_COOKIE_NAME, _session_cookie(worker))
        queue_url = f"{wsgi.base_url}/committees/{committee.slug}/verify/"
        queue = browser.get(queue_url, timeout=10, allow_redirects=False)
        if queue.status_code != 200:
            wsgi.fail(f"GET {queue_url} answered {queue.status_code}: {queue.text[:1000]}")
        assert residency.address in queue.text, "the pending claim is not in the queue"
        csrf_token = browser.cookies.get(settings.CSRF_COOKIE_NAME)
        assert csrf_token, "the verification queue set no CSRF cookie"
        approve_url = f"{queue_url}{residency.pk}/approve/"
        approved = browser.post(
            approve_url,
            headers={"X-CSRFToken": csrf_token, "Referer": queue_url},
            timeout=10,
            allow_redirects=False,
        )
        if approved.status_code != 302:
            wsgi.fail(f"POST {approve_url} answered {approved.status_code}: {approved.text[:1000]}")
        assert approved.headers["Location"].endswith(f"/committees/{committee.slug}/verify/")

        # What the resident notices: the inbox badge on the open page goes to 1.
        assert _recv_json(websocket, timeout=PUSH_TIMEOUT) == {
            "event": "inbox.unread",
            "unread": 1,
        }

    residency.refresh_from_db()
    assert residency.status == Residency.Status.APPROVED
    assert residency.decided_by == worker


def test_healthz_on_the_wsgi_workers_reaches_postgres_and_redis(servers):
    response = requests.get(f"{servers['wsgi'].base_url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": True, "channel_layer": True}
