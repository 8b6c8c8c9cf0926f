"""Reads from the real streaming replica (bin/pg-replica; sharing_city/core/replica.py).

The replica replicates the whole cluster, so it holds the test database the runner creates on
the primary (settings/test.py points the alias at it with TEST MIRROR). Only committed rows
replicate: these tests are transactional. Pausing the replica's replay is how a test knows
which server answered: a row committed while it is paused is on the primary only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from lending import services
from sharing_city.core import replica

from .conftest import TODAY

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

ROOT = Path(__file__).resolve().parents[2]
RANGE = {"start": str(TODAY - dt.timedelta(days=200)), "end": str(TODAY)}


def on_replica(sql: str, params: tuple = ()) -> tuple:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def primary_lsn() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def wait_for_replica(column: str = "pg_last_wal_replay_lsn()", timeout: float = 60) -> None:
    """Until the replica has replayed (or received) everything the primary has committed.

    A standby that restarted (after `resume`, or its own crash recovery when a busy CI machine
    kills a backend) refuses connections until it is consistent again: wait for that too.
    """
    target = primary_lsn()
    deadline = time.monotonic() + timeout
    while True:
        try:
            if on_replica(f"SELECT coalesce({column} >= %s::pg_lsn, false)", (target,))[0]:
                return
        except OperationalError:
            connections["replica"].close()
        assert time.monotonic() < deadline, f"the replica did not reach {target}"
        time.sleep(0.05)


def wait_until_usable(timeout: float = 60) -> None:
    """Until the replica is replayed up to the primary and measured usable; the "ok" stays cached.

    Just after a standby restart it can be caught up and still report no replay timestamp (lag
    unknown): measuring then would cache "lagging" for the whole test and send every read to the
    primary.
    """
    wait_for_replica(timeout=timeout)
    deadline = time.monotonic() + timeout
    while True:
        replica.forget_status()
        if replica.status().usable:
            return
        assert time.monotonic() < deadline, f"the replica stayed {replica.status()}"
        time.sleep(0.1)


@contextmanager
def replay_paused() -> Iterator[None]:
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        while on_replica("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
            time.sleep(0.02)
        yield
    finally:
        on_replica("SELECT pg_wal_replay_resume()")


def pg_replica(command: str) -> None:
    port = str(urlparse(os.environ["DATABASE_REPLICA_URL"]).port or 5432)
    subprocess.run(
        [str(ROOT / "bin" / "pg-replica"), command],
        check=True,
        env={**os.environ, "REPLICA_PORT": port},
        capture_output=True,
    )


@pytest.fixture
def reads_on_replica(settings):
    settings.REPLICA_READS = True
    settings.REPLICA_MAX_LAG_SECONDS = 5
    # One measurement stands for the whole test unless the test forgets it.
    settings.REPLICA_CHECK_SECONDS = 300
    replica.forget_status()
    yield settings
    replica.forget_status()


def available(client: APIClient, title_id: int) -> int:
    response = client.get(reverse("api:lending-titles-detail", kwargs={"pk": title_id}))
    assert response.status_code == 200
    return response.json()["available"]


def test_a_write_is_visible_to_its_writer_at_once(
    reads_on_replica, volunteer, resident, drill, client
):
    reads_on_replica.REPLICA_READ_YOUR_WRITES_SECONDS = 1
    desk = APIClient()
    desk.force_login(volunteer)
    passer_by = APIClient()
    wait_until_usable()
    assert available(desk, drill.title_id) == available(passer_by, drill.title_id) == 1

    with replay_paused():
        out = desk.post(
            reverse("api:lending-check-out"),
            {"item": drill.code, "member": resident.member_number},
            format="json",
        )
        assert out.status_code == 201
        # The volunteer who lent it sees it lent, at once: their reads are on the primary.
        assert available(desk, drill.title_id) == 0
        # Everyone else reads the (paused) replica: proof the replica serves them.
        with CaptureQueriesContext(connections["replica"]) as on_the_replica:
            assert available(passer_by, drill.title_id) == 1
        assert len(on_the_replica) > 0
        # The window passes: the volunteer is back on the replica like everyone else.
        time.sleep(2.1)
        assert available(desk, drill.title_id) == 1

    wait_for_replica()
    assert available(passer_by, drill.title_id) == 0


def test_a_replica_lagging_past_the_threshold_is_skipped(
    reads_on_replica, volunteer, resident, drill, client
):
    reads_on_replica.REPLICA_MAX_LAG_SECONDS = 0.5
    passer_by = APIClient()
    wait_for_replica()
    assert available(passer_by, drill.title_id) == 1

    with replay_paused():
        services.check_out(item=drill, member=resident, by=volunteer)
        wait_for_replica(column="pg_last_wal_receive_lsn()")  # received, not replayed
        time.sleep(0.7)
        replica.forget_status()  # the next read measures afresh

        assert available(passer_by, drill.title_id) == 0  # from the primary
        lagging = replica.status()
        assert lagging.state == "lagging" and lagging.lag_seconds > 0.5
        health = client.get(reverse("core:healthz"))
        assert health.status_code == 200
        assert health.json()["replica"]["status"] == "lagging"
        assert health.json()["replica"]["lag_seconds"] > 0.5

    wait_for_replica()
    # Replayed again: within the usual threshold (other databases of the cluster keep writing,
    # so a fraction of a second may stand), it is used again.
    reads_on_replica.REPLICA_MAX_LAG_SECONDS = 5
    wait_until_usable()
    assert client.get(reverse("core:healthz")).json()["replica"]["status"] == "ok"


def test_a_record_just_received_is_looked_at_again_before_the_replica_is_called_lagging(
    reads_on_replica, monkeypatch, volunteer, resident, drill
):
    # An idle primary's non-transaction WAL (a snapshot every 15 s) is received a moment before
    # it is replayed; read then, the lag is the time since the last commit. Here: a commit held
    # back by a paused replay, replayed while measure() waits to look again.
    reads_on_replica.REPLICA_MAX_LAG_SECONDS = 0.5
    wait_until_usable()
    readings: list[tuple] = []
    first_look = replica._lag
    monkeypatch.setattr(replica, "_lag", lambda: readings.append(first_look()) or readings[-1])

    def replayed_meanwhile() -> None:
        on_replica("SELECT pg_wal_replay_resume()")
        wait_for_replica()

    monkeypatch.setattr(replica, "_settle", replayed_meanwhile)
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        while on_replica("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
            time.sleep(0.02)
        time.sleep(0.7)  # the last replayed commit is older than the threshold
        services.check_out(item=drill, member=resident, by=volunteer)
        wait_for_replica(column="pg_last_wal_receive_lsn()")  # received, not replayed

        measured = replica.measure()
    finally:
        on_replica("SELECT pg_wal_replay_resume()")

    assert readings[0][1] > 0.5  # the first look alone would have called it lagging
    assert measured.state == "ok", measured


def test_a_stopped_replica_is_skipped(reads_on_replica, volunteer, resident, drill, client):
    passer_by = APIClient()
    wait_for_replica()
    assert available(passer_by, drill.title_id) == 1

    pg_replica("halt")
    try:
        connections["replica"].close()
        services.check_out(item=drill, member=resident, by=volunteer)
        replica.forget_status()

        assert available(passer_by, drill.title_id) == 0  # from the primary, no 500
        assert replica.status().state == "down"
        health = client.get(reverse("core:healthz"))
        # Reads fall back, so the node stays healthy and says the replica is down.
        assert health.status_code == 200
        assert health.json()["replica"]["status"] == "down"
        assert client.get(reverse("lending:catalogue")).status_code == 200
    finally:
        pg_replica("resume")
        connections["replica"].close()


def test_report_figures_are_equal_on_primary_and_replica(reads_on_replica, client, staff, city):
    client.force_login(staff)
    url = reverse("reports:staff", kwargs={"code": "11440"})
    wait_until_usable()

    with CaptureQueriesContext(connections["replica"]) as on_the_replica:
        from_replica = client.get(url, RANGE)
    assert from_replica.status_code == 200
    assert len(on_the_replica) > 0

    cache.clear()  # the figures are cached: compute them again, on the primary
    reads_on_replica.REPLICA_READS = False
    with CaptureQueriesContext(connections["replica"]) as on_the_replica:
        from_primary = client.get(url, RANGE)
    assert len(on_the_replica) == 0

    primary_figures = from_primary.context["figures"]
    assert primary_figures.loans > 0
    # Every figure, apart from when each was computed.
    assert dataclasses.replace(
        from_replica.context["figures"], computed_at=None
    ) == dataclasses.replace(primary_figures, computed_at=None)
    assert from_replica.context["programmes"] == from_primary.context["programmes"]


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("lending:catalogue", {}),
        ("lending:title", {"pk": "title"}),
        ("reports:public", {}),
        # (reports:open-data, the fields' documentation, reads nothing from the database: it
        # only seemed served by the replica while the request itself measured the replica.)
        ("api:lending-titles-list", {}),
        ("api:lending-items-list", {}),
        ("api:reports-open-data", {}),
    ],
)
def test_read_only_pages_are_served_by_the_replica(reads_on_replica, client, drill, name, kwargs):
    url = reverse(name, kwargs=dict.fromkeys(kwargs, drill.title_id))
    wait_until_usable()

    with CaptureQueriesContext(connections["replica"]) as on_the_replica:
        response = client.get(url)

    assert response.status_code == 200
    assert len(on_the_replica) > 0
