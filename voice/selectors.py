"""Reads of asks: pages' querysets, and the figures the city publishes (time to answer)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from .models import Ask, Status

SECONDS_PER_DAY = 86400


def asks_for_list(queryset: QuerySet[Ask]) -> QuerySet[Ask]:
    """One query per page however many rows: owners joined, supporters and answers counted."""
    return queryset.select_related("routed_place", "routed_district").annotate(
        supporter_count=Count("supporters", distinct=True),
        answer_count=Count("answers", distinct=True),
    )


def visible_asks() -> QuerySet[Ask]:
    """Every signed-in member may read asks (no names are shown): merged ones point onward."""
    return Ask.objects.all()


@dataclass(frozen=True)
class AnswerFigures:
    """Counts and medians only: nothing that names a member."""

    asks: int
    asks_answered: int
    asks_closed: int
    median_days_to_first_answer: float | None
    median_days_to_close: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "asks": self.asks,
            "asks_answered": self.asks_answered,
            "asks_closed": self.asks_closed,
            "median_days_to_first_answer": self.median_days_to_first_answer,
            "median_days_to_close": self.median_days_to_close,
        }


def _median_days(values: list[dt.timedelta]) -> float | None:
    if not values:
        return None
    return round(statistics.median(v.total_seconds() for v in values) / SECONDS_PER_DAY, 1)


Times = tuple[Any, ...]  # (created_at, first_answered_at or None, closed_at or None)


def _figures(rows: list[Times]) -> AnswerFigures:
    to_answer = [answered - made for made, answered, _closed in rows if answered]
    to_close = [closed - made for made, _answered, closed in rows if closed]
    return AnswerFigures(
        asks=len(rows),
        asks_answered=len(to_answer),
        asks_closed=len(to_close),
        median_days_to_first_answer=_median_days(to_answer),
        median_days_to_close=_median_days(to_close),
    )


def answer_figures(
    *, start: dt.date, end: dt.date, district_id: int | None = None, place_id: int | None = None
) -> dict[str, Any]:
    """Time to first answer and to close of asks made in [start, end], for the whole set, per
    district (by id) and per place (by id; asks routed to a district alone have no place).
    Merged duplicates are left out: they would count one request twice."""
    asks = Ask.objects.filter(created_at__date__gte=start, created_at__date__lte=end).exclude(
        status=Status.MERGED
    )
    if district_id is not None:
        asks = asks.filter(routed_district_id=district_id)
    if place_id is not None:
        asks = asks.filter(routed_place_id=place_id)
    rows = list(
        asks.values_list(
            "routed_district_id", "routed_place_id", "created_at", "first_answered_at", "closed_at"
        )
    )
    by_district: dict[int, list[Times]] = defaultdict(list)
    by_place: dict[int, list[Times]] = defaultdict(list)
    for row_district, row_place, *times in rows:
        by_district[row_district].append(tuple(times))
        if row_place is not None:
            by_place[row_place].append(tuple(times))
    return {
        "total": _figures([tuple(r[2:]) for r in rows]),
        "districts": {pk: _figures(v) for pk, v in by_district.items()},
        "places": {pk: _figures(v) for pk, v in by_place.items()},
    }
