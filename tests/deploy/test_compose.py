"""Compose parity without a Docker engine.

Reads docker-compose.yml and starts each app service's own command on this machine, with the
compose environment (service host names pointed at the local PostgreSQL and Redis), then runs
the service's own healthcheck until it passes.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENV_BIN = ROOT / ".venv" / "bin"
pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def local_env(compose, tmp_path_factory) -> Iterator[dict[str, str]]:
    """The compose environment, with its service hosts mapped onto this machine's services."""
    import psycopg

    env = {k: str(v) for k, v in compose["x-app-env"].items()}
    # Values compose requires from the operator's .env, e.g. ${SECRET_KEY:?...}.
    for key, value in env.items():
        if value.startswith("${"):
            env[key] = secrets.token_urlsafe(50)
    db_url = urlparse(env["DATABASE_URL"])
    local = urlparse(os.environ["DATABASE_URL"])
    db_name = f"compose_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=local.hostname,
        port=local.port or 5432,
        user=local.username or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    role = db_url.username
    if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
        admin.execute(
            f'CREATE ROLE "{role}" LOGIN PASSWORD %s'.replace("%s", f"'{db_url.password}'")
        )
    admin.execute(f'CREATE DATABASE "{db_name}" OWNER "{role}"')
    srv = tmp_path_factory.mktemp("srv")
    env.update(
        DATABASE_URL=f"postgres://{db_url.username}:{db_url.password}@{local.hostname}:"
        f"{local.port or 5432}/{db_name}",
        REDIS_URL=env["REDIS_URL"].replace("//redis:", "//127.0.0.1:").rsplit("/", 1)[0] + "/9",
        EMAIL_HOST="127.0.0.1",
        STATIC_ROOT=str(srv / "static"),
        MEDIA_ROOT=str(srv / "media"),
        SHARING_CITY_VAR_DIR=str(srv / "var"),
    )
    (srv / "var").mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    base["PATH"] = f"{VENV_BIN}:{base['PATH']}"
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    yield {**base, **env}
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db_name]
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
    admin.close()


def localise(text: str, env: dict[str, str], port: int) -> str:
    return text.replace("/srv/var", env["SHARING_CITY_VAR_DIR"]).replace("8000", str(port))


def healthcheck_passes(test: list[str], env: dict[str, str], port: int) -> bool:
    argv = [localise(part, env, port) for part in test[1:]]  # drop "CMD"
    result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, timeout=30)
    return result.returncode == 0


def start(service: dict, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = service["command"]
    argv = command if isinstance(command, list) else shlex.split(command)
    argv = [localise(part, env, port) for part in argv]
    return subprocess.Popen(
        argv,
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_compose_declares_the_production_services(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in services:
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert "gunicorn" in services["web"]["command"]


def test_every_app_service_starts_and_becomes_healthy(compose, local_env, tmp_path):
    port = free_port()
    procs: dict[str, subprocess.Popen] = {}
    try:
        # web first: its command migrates the database the worker and beat then use.
        for name, budget in [("web", 180), ("worker", 90), ("beat", 60)]:
            service = compose["services"][name]
            log = tmp_path / f"{name}.log"
            procs[name] = start(service, local_env, port, log)
            deadline = time.monotonic() + budget
            while not healthcheck_passes(service["healthcheck"]["test"], local_env, port):
                assert procs[name].poll() is None, f"{name} exited:\n{log.read_text()[-3000:]}"
                assert time.monotonic() < deadline, (
                    f"{name} never healthy:\n{log.read_text()[-3000:]}"
                )
                time.sleep(1)
        # The web service answers real pages through gunicorn, static files included.
        import urllib.request

        # Behind the TLS proxy, as in production (plain http would be redirected to https).
        https = {"X-Forwarded-Proto": "https"}
        home = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=https)
        with urllib.request.urlopen(home, timeout=5) as response:
            assert response.status == 200
            html = response.read().decode()
        link = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert link is not None
        css = link.group(1)
        assert "/static/css/app." in css
        sheet = urllib.request.Request(f"http://127.0.0.1:{port}{css}", headers=https)
        with urllib.request.urlopen(sheet, timeout=5) as response:
            assert response.status == 200
    finally:
        for proc in procs.values():
            os.killpg(proc.pid, 15)
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


def test_check_deploy_is_clean_with_the_compose_environment(local_env):
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=local_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
