"""Real server processes for the tests that need more than one: each in its own process
group, on pytest-django's test database and the same Redis, with its output kept for
the failure message."""

import contextlib
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

BIN = Path(sys.executable).parent
BOOT_TIMEOUT = 60  # seconds for a server to come up (Django loads in every worker)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def servers_database_url() -> str:
    """The URL of pytest-django's test database, which the servers must use too."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def server_env() -> dict[str, str]:
    """The environment of a production-like server on the test database and Redis."""
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "townhall.settings"),
        "DATABASE_URL": servers_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "HTTPS": "0",
        "PYTHONUNBUFFERED": "1",
    }


def collectstatic(env: dict[str, str]) -> None:
    """As a deployment does before starting the servers: with DEBUG off, pages name
    their static files through the manifest that collectstatic writes."""
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


def granian_wsgi_command(port: int, workers: int = 2) -> list[str]:
    return [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-ws",
        "townhall.wsgi:application",
    ]


def daphne_command(port: int) -> list[str]:
    return [
        str(BIN / "daphne"),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "townhall.asgi:application",
    ]


def session_cookie(user) -> str:
    """A real login session (cached_db: in the database and in Redis) for `user`."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


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


_db_url = os.environ.get("DATABASE_URL", "")
_on_postgres = _db_url.startswith(("postgres://", "postgresql://", "pgsql://"))

# Separate server processes cannot share SQLite's in-memory test database or the
# in-memory channel layer; CI's second pass sets both variables.
needs_postgres_and_redis = pytest.mark.skipif(
    not (_on_postgres and os.environ.get("REDIS_URL")),
    reason="needs DATABASE_URL=postgres://… and REDIS_URL=redis://… (separate server "
    "processes cannot share SQLite's in-memory test database or the in-memory channel "
    "layer); CI's second pass sets both",
)
