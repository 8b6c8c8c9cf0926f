"""Cached reads for the pages: figures are kept for a few minutes and say when they were made.

A Celery task warms the public figures of every district (reports.tasks); staff reports are
computed on demand and then cached, so "figures as of HH:MM" is at most CACHE_SECONDS old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language

from lending.models import Loan
from sharing_city.accounts.models import District

from .figures import LendingFigures, Scope, lending_figures
from .programmes import ProgrammeFigures, programme_figures

CACHE_SECONDS = 300
# Warmed figures outlive the 5-minute beat period, so a visitor never meets an expired entry
# between two runs; the page still says how old they are.
WARM_SECONDS = 900


@dataclass
class Report:
    lending: LendingFigures
    programmes: list[ProgrammeFigures]


@contextmanager
def snapshot() -> Iterator[dt.datetime]:
    """One transaction whose every read sees the database at one moment, which it yields.

    PostgreSQL: REPEATABLE READ, so the lending and programme queries all read the snapshot
    taken by its first query, and the moment is that transaction's now(). SQLite: a single
    transaction (one connection sees no other writer's commits half-way through).
    Inside an outer transaction (tests) the isolation level can no longer be set; the reads
    then share that transaction's view. The transaction is on the database the report's reads
    go to (the replica when the view reads from one, sharing_city.core.replica).
    """
    alias = router.db_for_read(Loan)
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        moment = timezone.now()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT now()")
                moment = cursor.fetchone()[0]
        yield moment


def read_report(scope: Scope) -> Report:
    """Every figure of the report from one snapshot. "Figures as of" is that moment, or, when
    the loan figures come from the rollups, their refresh (the borrowers are then counted over
    the loans the rollups hold, reports.figures)."""
    with snapshot() as moment:
        return Report(lending_figures(scope, now=moment), programme_figures(scope))


def report(scope: Scope, *, fresh: bool = False, timeout: int = CACHE_SECONDS) -> Report:
    """The figures of a scope, from the cache when they are at most CACHE_SECONDS old.

    The page and its exports read the same cached Report, so they show the same moment."""
    # Place and category names follow the reader's language, so the language is in the key.
    key = f"reports:v1:{get_language()}:{scope.cache_key()}"
    found = None if fresh else cache.get(key)
    if found is None:
        found = read_report(scope)
        cache.set(key, found, timeout)
    return found


def city_districts() -> list[District]:
    return list(District.objects.filter(city=settings.CITY_SLUG))


def public_scopes(today: dt.date) -> list[Scope]:
    """The scopes of the public dashboard and open data: each district and the city, 12 months."""
    start = today - dt.timedelta(days=364)
    return [Scope(start, today, district_id=d.pk) for d in city_districts()] + [Scope(start, today)]


def warm_public_figures() -> int:
    """Recompute the public figures in both languages, so that no visitor waits for them.

    The public scope of a district is also the staff report's default (the district over the
    last 12 months), so staff opening their report find it ready too.
    """
    scopes = public_scopes(timezone.localdate())
    for language in ("ko", "en"):
        with translation.override(language):
            for scope in scopes:
                report(scope, fresh=True, timeout=WARM_SECONDS)
    return len(scopes)
