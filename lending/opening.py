"""Open days of a place: due dates and pickup deadlines roll forward to the next one."""

from __future__ import annotations

import datetime as dt

from .models import Place

# A year is the longest a place can be closed before we stop looking and keep the date.
SEARCH_DAYS = 366


def next_open_day(place: Place, day: dt.date) -> dt.date:
    """`day` itself when the place is open then, else the next day it opens."""
    weekdays = set(place.opening_hours.values_list("weekday", flat=True))
    if not weekdays:
        return day  # no hours recorded: treat every day as open rather than guess
    closed = set(
        place.closures.filter(
            date__gte=day, date__lt=day + dt.timedelta(days=SEARCH_DAYS)
        ).values_list("date", flat=True)
    )
    for offset in range(SEARCH_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if candidate.weekday() in weekdays and candidate not in closed:
            return candidate
    return day


def open_days(place: Place, start: dt.date, end: dt.date) -> list[dt.date]:
    """Open days in [start, end]: for calendars and pickup windows."""
    weekdays = set(place.opening_hours.values_list("weekday", flat=True)) or set(range(7))
    closed = set(
        place.closures.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )
    days = (end - start).days + 1
    return [
        d
        for d in (start + dt.timedelta(days=i) for i in range(max(days, 0)))
        if d.weekday() in weekdays and d not in closed
    ]
