"""Cached reads for the pages: figures are kept for a few minutes and say when they were made.

A Celery task warms the public figures of every district (reports.tasks); staff reports are
computed on demand and then cached, so "figures as of HH:MM" is at most CACHE_SECONDS old.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import get_language

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


def report(scope: Scope, *, fresh: bool = False, timeout: int = CACHE_SECONDS) -> Report:
    """The figures of a scope, from the cache when they are at most CACHE_SECONDS old."""
    # Place and category names follow the reader's language, so the language is in the key.
    key = f"reports:v1:{get_language()}:{scope.cache_key()}"
    found = None if fresh else cache.get(key)
    if found is None:
        found = Report(lending_figures(scope), programme_figures(scope))
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
