"""Shared fixtures: named personas, and the rules for tests that need a real service.

Service markers: `postgres`, `replica`, `celery_worker`, `e2e`. Without the service a test
skips with the reason; under CI=true a missing service is a failure, so CI can never pass by
skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server

ROOT = Path(__file__).resolve().parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def _missing_service(marker: str) -> str | None:
    """Why the service a marker needs is absent, or None when it is there."""
    if marker == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    elif marker == "replica":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL and its streaming replica: set DATABASE_URL=postgres://..."
        replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
        if not replica_url:
            return (
                "needs a streaming replica: run bin/pg-replica start and set "
                "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<database>"
            )
        # A standby restarting (a test halts and resumes it; crash recovery on a busy machine)
        # is closed for a few seconds: give it time before calling it missing.
        deadline = time.monotonic() + 60
        while not _port_open(replica_url, 5432):
            if time.monotonic() > deadline:
                return f"the replica at {replica_url} does not answer (bin/pg-replica start)"
            time.sleep(0.5)
    elif marker == "celery_worker":
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            return "needs Redis for a real Celery worker: set REDIS_URL=redis://..."
        if not _port_open(redis_url, 6379):
            return f"Redis at {redis_url} does not answer"
    elif marker == "e2e":
        if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
            return f"needs Chromium at {CHROMIUM} (apt-get install chromium fonts-nanum)"
        if not AXE_JS.exists():
            return "needs axe-core: run `npm ci` (make test does)"
    return None


def pytest_configure(config: pytest.Config) -> None:
    # SQLite builds the test schema from the models (seconds) instead of replaying every
    # migration (most of a minute: Django re-renders the model state at each operation). On
    # SQLite the migrations add nothing a test sees: their RunSQL is PostgreSQL-only and their
    # RunPython only moves existing rows. PostgreSQL runs (CI) still migrate, and `.ci/run`
    # migrates a fresh SQLite file too, so both paths stay proven.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        config.option.nomigrations = True


# Tests that share one Redis (a real Celery worker, the compose services) run one at a time on
# one xdist worker (`--dist loadgroup`), so two workers never consume each other's tasks.
SHARED_SERVICE_MARKERS = ("celery_worker",)


# The longest tests (browser journeys, the form fuzzer, the permission matrix's chunks) run
# first: handed out last, as collection order had them, one of them kept a worker busy alone at
# the end of the run while the other had nothing left.
SLOW_FIRST = ("tests/e2e/", "tests/fuzz/", "tests/test_permission_matrix.py")


def _runs_long(item: pytest.Item) -> bool:
    """Browser journeys, fuzzers, the matrix, and the tests that load the whole demo city."""
    return (
        item.nodeid.startswith(SLOW_FIRST)
        or "/test_demo" in item.nodeid
        or item.get_closest_marker("e2e") is not None
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(m) for m in SHARED_SERVICE_MARKERS):
            item.add_marker(pytest.mark.xdist_group("shared-redis"))
        # Replica tests pause and stop the one replica: one at a time, on one worker.
        if item.get_closest_marker("replica"):
            item.add_marker(pytest.mark.xdist_group("shared-replica"))
    items.sort(key=lambda item: not _runs_long(item))  # stable: otherwise collection order


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "replica", "celery_worker", "e2e"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if IN_CI:
            pytest.fail(f"CI=true but the service for @{marker} is missing: {reason}")
        pytest.skip(reason)


# --- Personas -----------------------------------------------------------------------------

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database starts with the city's districts, as every deployment does."""
    from sharing_city.accounts.cities import load_city

    with django_db_blocker.unblock():
        load_city("seoul")


@pytest.fixture
def districts(db):
    """Seoul's 25 districts, as the city file ships them."""
    from sharing_city.accounts.cities import load_city
    from sharing_city.accounts.models import District

    # Once per test database: test transactions roll back to it; a transactional test's
    # flush empties the table, and then the next test loads the city again.
    if District.objects.filter(city="seoul").count() < 25:
        load_city("seoul")
    return District.objects.filter(city="seoul")


@pytest.fixture
def mapo(districts):
    return districts.get(code="11440")


@pytest.fixture
def gangnam(districts):
    return districts.get(code="11680")


@pytest.fixture
def make_member(db, mapo):
    from sharing_city.accounts.models import User

    def make(username: str, role: str = "resident", district=None, **extra):
        user = User(
            username=username,
            email=f"{username}@example.org",
            full_name=extra.pop("full_name", username.title()),
            role=role,
            district=district or mapo,
            **extra,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def resident(make_member):
    return make_member("resident", phone="01011112222")


@pytest.fixture
def other_resident(make_member):
    return make_member("other_resident", phone="01033334444")


@pytest.fixture
def coordinator(make_member, mapo):
    return make_member("coordinator", role="coordinator", district=mapo)


@pytest.fixture
def coordinator_elsewhere(make_member, gangnam):
    return make_member("coordinator_elsewhere", role="coordinator", district=gangnam)


@pytest.fixture
def staff(make_member, mapo):
    return make_member("staff", role="staff", district=mapo)


@pytest.fixture
def staff_elsewhere(make_member, gangnam):
    return make_member("staff_elsewhere", role="staff", district=gangnam)


@pytest.fixture
def city_admin(make_member):
    return make_member("city_admin", role="admin")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request's middleware activates the reader's
    language in the thread and nothing switches it back, so it would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached figures must not leak from one test into the next."""
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
