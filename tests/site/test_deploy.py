"""Production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="townhall.example",
    )

    assert result.returncode == 0, result.stderr + result.stdout


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="townhall.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_wsgi_and_asgi_servers_refuse_to_start_without_a_secret_key():
    for module in ("townhall.wsgi", "townhall.asgi"):
        result = python(f"import {module}", DEBUG="0")

        assert result.returncode != 0, module
        assert "SECRET_KEY must be set in the environment" in result.stderr


def test_the_deploy_check_names_a_missing_secret_key():
    result = manage("check", "--deploy", DEBUG="0", HTTPS="1", ALLOWED_HOSTS="townhall.example")

    assert "security.W009" in result.stderr + result.stdout


def test_migrations_can_be_checked_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="0")

    assert result.returncode == 0, result.stderr
