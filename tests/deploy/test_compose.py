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
            env[key] = "https://share.example" if key == "SITE_URL" else secrets.token_urlsafe(50)
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
    # The replica: this machine's (bin/pg-replica), which holds the new database by itself.
    local_replica = os.environ.get("DATABASE_REPLICA_URL")
    if local_replica:
        replica = urlparse(local_replica)
        env["DATABASE_REPLICA_URL"] = (
            f"postgres://{db_url.username}:{db_url.password}@{replica.hostname}:"
            f"{replica.port or 5432}/{db_name}"
        )
    else:
        env.pop("DATABASE_REPLICA_URL")
    (srv / "var").mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    base["PATH"] = f"{VENV_BIN}:{base['PATH']}"
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    base.pop("DATABASE_REPLICA_URL", None)
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
    assert set(services) == {
        "postgres",
        "postgres-replica",
        "redis",
        "migrate",
        "web",
        "worker",
        "beat",
    }
    for name in services.keys() - {"migrate"}:  # migrate runs once and exits
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert "gunicorn" in services["web"]["command"]


def test_web_and_worker_scale_and_beat_runs_once(compose):
    """`docker compose up --scale web=3 --scale worker=2` must not clash or double the schedule."""
    services = compose["services"]
    for name in ("web", "worker"):
        assert "container_name" not in services[name], f"{name} cannot scale with a fixed name"
        # Migrations ran once, before any of the scaled containers starts.
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "migrate" not in services[name]["command"]
        # Uploaded files are shared by every container, not kept in one.
        assert "media:/srv/media" in services[name]["volumes"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    # Three web containers publish three host ports of a range, not one fixed port each.
    (published,) = services["web"]["ports"]
    host, container = published.rsplit(":", 1)
    low, high = (int(p) for p in host.split("-"))
    assert container == "8000" and high - low + 1 >= 3
    assert services["beat"]["deploy"] == {"replicas": 1}
    assert "container_name" not in services["beat"]


def test_the_replica_streams_from_the_primary(compose):
    """What runs here cannot run the image's entrypoint: check the replica's command's shape."""
    replica = compose["services"]["postgres-replica"]
    assert replica["image"] == compose["services"]["postgres"]["image"]
    assert replica["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    command = replica["command"]
    # A base backup of the primary service, with the standby settings (-R), once per volume.
    assert re.search(r"pg_basebackup -h postgres -U sharing_city .* -R -X stream", command)
    assert "PG_VERSION" in command and "hot_standby=on" in command
    hba = compose["configs"]["pg-replication-hba"]["content"]
    assert "host replication all all" in hba
    # Every app service is told where the replica is.
    assert urlparse(compose["x-app-env"]["DATABASE_REPLICA_URL"]).hostname == "postgres-replica"


def test_every_app_service_starts_and_becomes_healthy(compose, local_env, tmp_path):
    port = free_port()
    procs: dict[str, subprocess.Popen] = {}
    try:
        # The one-shot migrate service first, to completion, as compose's depends_on orders it.
        migrate = compose["services"]["migrate"]
        log = tmp_path / "migrate.log"
        with log.open("w") as out:
            done = subprocess.run(
                shlex.split(migrate["command"]),
                env=local_env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=240,
            )
        assert done.returncode == 0, log.read_text()[-3000:]
        for name, budget in [("web", 120), ("worker", 90), ("beat", 60)]:
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
