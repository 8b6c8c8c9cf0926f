"""Time to first answer and to close, checked against a count made here from the raw rows."""

import datetime as dt
import statistics

import pytest
from django.db import connection
from django.utils import timezone

from voice import services
from voice.selectors import answer_figures

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 2)


def _at(day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour)))


@pytest.fixture
def asks(make_member, resident, staff, staff_elsewhere, tool_centre, other_centre):
    """Eight asks at Mapo's centre, two at Gangnam's, one to Mapo-gu itself, one merged."""
    made = []
    for n in range(8):
        ask = services.create_ask(
            by=resident, kind="item", text=f"need {n}", place=tool_centre, now=_at(n)
        )
        if n < 6:
            services.answer(
                ask=ask, by=staff, text="ok", now=_at(n, 10) + dt.timedelta(hours=6 * (n + 1))
            )
        if n < 5:
            services.set_status(
                ask=ask, by=staff, status="declined", reason="no budget", now=_at(n + 3)
            )
        made.append(ask)
    for n in range(2):
        ask = services.create_ask(
            by=resident, kind="problem", text="broken", place=other_centre, now=_at(n)
        )
        services.answer(ask=ask, by=staff_elsewhere, text="fixed", now=_at(n + 1))
    services.create_ask(by=resident, kind="suggestion", text="open on Sundays", now=_at(1))
    dup = services.create_ask(
        by=make_member("dup"), kind="item", text="need 0 too", place=tool_centre, now=_at(1)
    )
    services.merge(ask=dup, into=made[0], by=staff, now=_at(2))
    return made


def _raw(where: str, params: list) -> tuple[list[float], list[float], int]:
    """Days to answer and to close, and the number of asks, straight from the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT created_at, first_answered_at, closed_at FROM voice_ask"
            f" WHERE status <> 'merged' AND {where}",
            params,
        )
        rows = cursor.fetchall()

    def days(a, b):
        if isinstance(a, str):
            a, b = dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)
        return (b - a).total_seconds() / 86400

    answered = [days(c, a) for c, a, _x in rows if a is not None]
    closed = [days(c, x) for c, _a, x in rows if x is not None]
    return answered, closed, len(rows)


def test_figures_match_an_independent_count(asks, tool_centre, mapo, gangnam):
    figures = answer_figures(start=START, end=START + dt.timedelta(days=30))
    for key, where, param in [
        (("places", tool_centre.pk), "routed_place_id = %s", tool_centre.pk),
        (("districts", mapo.pk), "routed_district_id = %s", mapo.pk),
        (("districts", gangnam.pk), "routed_district_id = %s", gangnam.pk),
    ]:
        answered, closed, count = _raw(where, [param])
        found = figures[key[0]][key[1]]
        assert found.asks == count
        assert found.asks_answered == len(answered)
        assert found.asks_closed == len(closed)
        assert found.median_days_to_first_answer == (
            round(statistics.median(answered), 1) if answered else None
        )
        assert found.median_days_to_close == (
            round(statistics.median(closed), 1) if closed else None
        )
    assert figures["districts"][mapo.pk].asks == 9  # the merged duplicate is not counted twice
    assert figures["total"].asks == 11
