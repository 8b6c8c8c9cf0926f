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


def closed_days(place: Place, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Days in [start, end] the place is closed, each with why (the closure's reason, else
    its weekday having no hours), in two queries. Bookings may neither start nor end on one."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    weekdays = {hours.weekday for hours in place.opening_hours.all()}  # prefetched or not
    closures = dict(
        place.closures.filter(date__gte=start, date__lte=end).values_list("date", "reason")
    )
    closed: dict[dt.date, str] = {}
    for offset in range(max((end - start).days + 1, 0)):
        day = start + dt.timedelta(days=offset)
        if day in closures:
            closed[day] = closures[day] or gettext("closed that day")
        elif weekdays and day.weekday() not in weekdays:
            closed[day] = gettext("closed on %(weekday)s") % {"weekday": date_format(day, "l")}
    return closed


KOREAN_WEEKDAYS = "월화수목금토일"  # Django's "D" gives whole names (월요일) in Korean


def weekday_short(day: dt.date) -> str:
    """Short weekday ("수" / "Wed"): short enough for a calendar column and an hours line."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    if (get_language() or "ko").startswith("ko"):
        return KOREAN_WEEKDAYS[day.weekday()]
    return date_format(day, "D")


def hours_summary(place: Place) -> str:
    """The weekly hours in a line, runs of days with the same hours joined: "월–금 10:00–19:00,
    토 10:00–15:00". Empty when no hours are recorded."""
    by_day: dict[int, list[str]] = {}
    for hours in place.opening_hours.all():
        by_day.setdefault(hours.weekday, []).append(f"{hours.opens:%H:%M}–{hours.closes:%H:%M}")
    monday = dt.date(2026, 11, 16)  # any Monday: weekday names in the active language
    runs: list[tuple[int, int, str]] = []
    for weekday in sorted(by_day):
        text = ", ".join(by_day[weekday])
        if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], weekday, text)
        else:
            runs.append((weekday, weekday, text))

    def name(weekday: int) -> str:
        return weekday_short(monday + dt.timedelta(days=weekday))

    return ", ".join(f"{name(a)}{'–' + name(b) if b != a else ''} {text}" for a, b, text in runs)
