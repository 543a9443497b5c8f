"""The production split works: plain HTTP served by WSGI workers (granian, two worker
processes) and only the websockets by an ASGI server (daphne), joined by the Redis
channel layer. A write made through a WSGI worker reaches a page held open on daphne.

Runs in CI's second pass (PostgreSQL + Redis); skipped on the embedded defaults, where
no second process could see the in-memory database or channel layer.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
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

_db_url = os.environ.get("DATABASE_URL", "")
_on_postgres = _db_url.startswith(("postgres://", "postgresql://", "pgsql://"))
_on_redis = bool(os.environ.get("REDIS_URL"))

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(
        not (_on_postgres and _on_redis),
        reason="scale-out needs DATABASE_URL=postgres://… and REDIS_URL=redis://… "
        "(separate server processes cannot share SQLite's in-memory test database "
        "or the in-memory channel layer); CI's second pass sets both",
    ),
    pytest.mark.django_db(transaction=True),
]

BIN = Path(sys.executable).parent
BOOT_TIMEOUT = 60  # seconds for a server to come up (Django loads in every worker)
PUSH_TIMEOUT = 10  # seconds for a push to reach the open websocket
IDLE_SECONDS = 8  # the resident's page sits idle this long before the approval


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url() -> str:
    """The URL of pytest-django's test database, which the servers must use too."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


class Server:
    """One server subprocess in its own process group, its output kept in a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int):
        self.name = name
        self.port = port
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix=f"townhall-{name}-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stop() reaches every worker
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return text[-8000:]

    def fail(self, why: str):
        pytest.fail(f"{self.name}: {why}\n--- {self.name} output ---\n{self.output()}")

    def check_running(self):
        if self.process.poll() is not None:
            self.fail(f"exited early with code {self.process.returncode}")

    def wait_for_port(self):
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            self.check_running()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.fail(f"did not listen on port {self.port} within {BOOT_TIMEOUT}s")

    def wait_for_healthz(self):
        deadline = time.monotonic() + BOOT_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            self.check_running()
            try:
                response = requests.get(f"{self.base_url}/healthz", timeout=5)
            except requests.RequestException as error:
                last = repr(error)
            else:
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:500]}"
            time.sleep(0.3)
        self.fail(f"/healthz did not answer 200 within {BOOT_TIMEOUT}s (last: {last})")

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


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


def _session_cookie(user) -> str:
    """A real login session (cached_db: in the database and in Redis) for `user`."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


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
