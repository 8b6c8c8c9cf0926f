"""Reads from a streaming replica (README, "Running with a replica").

Nothing here is active unless DATABASE_REPLICA_URL is set (settings add the "replica" alias,
ReplicaRouter and ReplicaMiddleware). Then:

- A view opts in with `@replica_reads` (function views) or `ReplicaReadsMixin` (DRF views): its
  GET/HEAD queries, and the rendering of its template response, read from the replica. Every
  other query, and every write anywhere, goes to the primary.
- Read-your-writes: after a signed-in person's successful POST/PUT/PATCH/DELETE, the middleware
  sets a signed cookie; for REPLICA_READ_YOUR_WRITES_SECONDS their reads stay on the primary.
- A replica that does not answer, or lags more than REPLICA_MAX_LAG_SECONDS, is skipped; the
  check is cached for REPLICA_CHECK_SECONDS (shared by every web process through the cache).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "sc_rw"
_SALT = "sharing_city.core.replica"
_STATUS_KEY = "core:replica-status"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_replica", default=False
)

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE"
    " WHEN NOT pg_is_in_recovery() THEN 0"
    # Everything received is replayed: the replica is as fresh as the primary's last commit.
    " WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def configured() -> bool:
    return REPLICA in settings.DATABASES and bool(getattr(settings, "REPLICA_READS", False))


@dataclass(frozen=True)
class ReplicaStatus:
    state: str  # "off", "ok", "lagging", "down"
    lag_seconds: float | None = None
    detail: str = ""

    @property
    def usable(self) -> bool:
        return self.state == "ok"

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.state}
        if self.lag_seconds is not None:
            body["lag_seconds"] = round(self.lag_seconds, 3)
        if self.detail:
            body["detail"] = self.detail
        return body


# An idle primary still writes WAL that is no transaction (a running-transactions snapshot every
# 15 s, checkpoints). Caught between receiving and replaying such a record, LAG_SQL reads the
# time since the last *commit* replayed: minutes on a quiet night, so a caught-up replica looked
# "lagging" for REPLICA_CHECK_SECONDS. Replaying it takes milliseconds: look once more first.
RECHECK_AFTER_SECONDS = 0.05


def _lag() -> tuple[bool, float | None]:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    return in_recovery, lag


def _settle() -> None:
    time.sleep(RECHECK_AFTER_SECONDS)


def measure() -> ReplicaStatus:
    """Ask the replica now how far behind it is (no cache)."""
    if REPLICA not in settings.DATABASES:
        return ReplicaStatus("off")
    try:
        in_recovery, lag = _lag()
        if lag is None or lag > settings.REPLICA_MAX_LAG_SECONDS:  # or a record in flight
            _settle()
            in_recovery, lag = _lag()
    except Exception as exc:  # any driver error means "down"
        connections[REPLICA].close()
        return ReplicaStatus("down", detail=type(exc).__name__)
    if lag is None:
        # Not streaming yet (just started) or nothing replayed since: unknown, so not used.
        return ReplicaStatus("lagging", None, "lag unknown")
    lag_seconds = max(float(lag), 0.0)
    detail = "" if in_recovery else "not in recovery"
    if lag_seconds > settings.REPLICA_MAX_LAG_SECONDS:
        return ReplicaStatus("lagging", lag_seconds, detail)
    return ReplicaStatus("ok", lag_seconds, detail)


def status() -> ReplicaStatus:
    """The replica's state as last measured, at most REPLICA_CHECK_SECONDS old."""
    cached = cache.get(_STATUS_KEY)
    if isinstance(cached, ReplicaStatus):
        return cached
    current = measure()
    cache.set(_STATUS_KEY, current, settings.REPLICA_CHECK_SECONDS)
    return current


def forget_status() -> None:
    cache.delete(_STATUS_KEY)


def pinned_to_primary(request: HttpRequest) -> bool:
    """Did this person write within the read-your-writes window?"""
    return (
        request.get_signed_cookie(
            COOKIE,
            default=None,
            salt=_SALT,
            max_age=settings.REPLICA_READ_YOUR_WRITES_SECONDS,
        )
        is not None
    )


def eligible(request: HttpRequest) -> bool:
    return (
        configured()
        and request.method in _SAFE
        and not pinned_to_primary(request)
        and status().usable
    )


def reading_replica() -> bool:
    return _reading_replica.get()


def _on_replica(request: HttpRequest, call: Callable[[], HttpResponse]) -> HttpResponse:
    if not eligible(request):
        return call()
    token = _reading_replica.set(True)
    try:
        response = call()
        # Template responses query while they render: render here, still on the replica.
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            render()
        return response
    finally:
        _reading_replica.reset(token)


def replica_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a read-only function view as one the replica may serve."""
    from functools import wraps

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _on_replica(request, lambda: view(request, *args, **kwargs))

    wrapped.replica_reads = True  # type: ignore[attr-defined]
    return wrapped


class ReplicaReadsMixin:
    """For DRF views and viewsets: their GET/HEAD (lists, details) may read from the replica."""

    replica_reads = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = super().dispatch  # type: ignore[misc]
        return _on_replica(request, lambda: parent(request, *args, **kwargs))


class ReplicaRouter:
    """Reads go to the replica only inside a replica-eligible view; writes always to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _reading_replica.get() else PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one cluster: the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == PRIMARY


class ReplicaMiddleware:
    """After a signed-in person's successful write, keep their reads on the primary a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            REPLICA in settings.DATABASES
            and request.method not in _SAFE
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
        ):
            window = settings.REPLICA_READ_YOUR_WRITES_SECONDS
            response.set_signed_cookie(
                COOKIE,
                str(int(time.time())),
                salt=_SALT,
                max_age=window,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
