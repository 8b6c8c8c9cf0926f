"""Dates and times as each language writes them, through Django's localisation
(sharing_city/formats/)."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
MORNING = dt.datetime(2026, 12, 7, 11, 0, tzinfo=SEOUL)
EVENING = dt.datetime(2026, 12, 7, 18, 5, tzinfo=SEOUL)


def shown(language: str, value: object, fmt: str) -> str:
    with translation.override(language):
        return Template("{{ v|date:f }}").render(Context({"v": value, "f": fmt}))


@pytest.mark.parametrize(
    ("fmt", "ko", "en"),
    [
        ("DATE_FORMAT", "2026년 12월 7일", "7 December 2026"),
        ("SHORT_DATE_FORMAT", "2026-12-07", "7 Dec 2026"),
        ("DATETIME_FORMAT", "2026년 12월 7일 오전 11:00", "7 December 2026, 11:00 AM"),
        ("SHORT_DATETIME_FORMAT", "2026-12-07 오전 11:00", "7 Dec 2026, 11:00 AM"),
        ("TIME_FORMAT", "오전 11:00", "11:00 AM"),
        ("YEAR_MONTH_FORMAT", "2026년 12월", "December 2026"),
        ("MONTH_DAY_FORMAT", "12월 7일", "7 December"),
    ],
)
def test_each_format_in_each_language(fmt, ko, en):
    assert shown("ko", MORNING, fmt) == ko
    assert shown("en", MORNING, fmt) == en


def test_the_afternoon_comes_first_in_korean_and_last_in_english():
    assert shown("ko", EVENING, "TIME_FORMAT") == "오후 6:05"
    assert shown("en", EVENING, "TIME_FORMAT") == "6:05 PM"


def test_a_plain_date_in_a_template_uses_the_language_format():
    with translation.override("ko"):
        assert Template("{{ d }}").render(Context({"d": dt.date(2026, 1, 5)})) == "2026년 1월 5일"
    with translation.override("en"):
        assert Template("{{ d }}").render(Context({"d": dt.date(2026, 1, 5)})) == "5 January 2026"
