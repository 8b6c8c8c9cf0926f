"""How big or how far a typed value may be: one place per concept.

Forms and serializers call these validators (with translated messages), models turn the static
ones into CHECK constraints (`check_between`), and every piece of date arithmetic on a value a
person typed goes through `add_days` / `add_months`, which clamp instead of overflowing: a
saved 9999-12-31 must never make a page fail with OverflowError.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# --- Date arithmetic that cannot overflow ---------------------------------------------------


def add_days(day: dt.date, days: int) -> dt.date:
    """`day + days`, clamped to the calendar's ends (date.max + 1 raises OverflowError)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day if shorter), clamped to the calendar."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_time(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`moment + delta`, clamped like `add_days` (aware datetimes keep their zone)."""
    try:
        return moment + delta
    except OverflowError:
        end = dt.datetime.max if delta > dt.timedelta(0) else dt.datetime.min
        return end.replace(tzinfo=moment.tzinfo)


# --- Dates: a window per purpose ------------------------------------------------------------


@dataclass(frozen=True)
class DateWindow:
    """Days relative to today that a date typed for `purpose` may lie in (None: no bound)."""

    purpose: str
    days_before: int | None
    days_after: int | None
    too_early: str | _StrPromise
    too_late: str | _StrPromise

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        low = None if self.days_before is None else add_days(today, -self.days_before)
        high = None if self.days_after is None else add_days(today, self.days_after)
        return low, high

    def check(self, value: dt.date | None, *, today: dt.date | None = None) -> None:
        if value is None:
            return
        if isinstance(value, dt.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        low, high = self.bounds(today or timezone.localdate())
        if low is not None and value < low:
            raise ValidationError(
                self.too_early, code=f"{self.purpose}_too_early", params=_params(low, high)
            )
        if high is not None and value > high:
            raise ValidationError(
                self.too_late, code=f"{self.purpose}_too_late", params=_params(low, high)
            )

    __call__ = check  # usable as a form or serializer field validator


def _params(low: dt.date | None, high: dt.date | None) -> dict[str, str]:
    return {
        "earliest": date_format(low, "DATE_FORMAT") if low else "",
        "latest": date_format(high, "DATE_FORMAT") if high else "",
    }


YEAR = 366
# Interviews (closets, home-share) are at most a year ahead and not long past.
INTERVIEW = DateWindow(
    "interview",
    days_before=31,
    days_after=YEAR,
    too_early=_("The interview date is too far in the past (earliest %(earliest)s)."),
    too_late=_("The interview date is more than a year ahead (latest %(latest)s)."),
)
# A visit or meeting being arranged: soon, not years away.
APPOINTMENT = DateWindow(
    "appointment",
    days_before=31,
    days_after=YEAR,
    too_early=_("This date is too far in the past (earliest %(earliest)s)."),
    too_late=_("This date is more than a year ahead (latest %(latest)s)."),
)
# Agreements and their extensions end within two years.
AGREEMENT = DateWindow(
    "agreement",
    days_before=YEAR,
    days_after=2 * YEAR,
    too_early=_("An agreement cannot start more than a year in the past (earliest %(earliest)s)."),
    too_late=_("An agreement cannot run more than two years ahead (latest %(latest)s)."),
)
# When a room or a student becomes available: not in the past beyond a small margin.
AVAILABILITY = DateWindow(
    "availability",
    days_before=7,
    days_after=2 * YEAR,
    too_early=_("Availability cannot start in the past (earliest %(earliest)s)."),
    too_late=_("Availability must start within two years (latest %(latest)s)."),
)
# A check-in marked done happened already.
DONE = DateWindow(
    "done",
    days_before=YEAR,
    days_after=0,
    too_early=_("This date is more than a year in the past (earliest %(earliest)s)."),
    too_late=_("A date something was done cannot be in the future (latest %(latest)s)."),
)
# A coaching session, fitting slot or other event a desk schedules (the past is the
# service's refusal, which knows whether the person may schedule at all).
SCHEDULE = DateWindow(
    "schedule",
    days_before=None,
    days_after=YEAR,
    too_early=_("This time is in the past."),
    too_late=_("This is more than a year ahead (latest %(latest)s)."),
)
# A report's period: the platform's history, not the first century; at most a year ahead.
REPORT = DateWindow(
    "report",
    days_before=30 * YEAR,
    days_after=YEAR,
    too_early=_("Reports start at %(earliest)s at the earliest."),
    too_late=_("Reports end at %(latest)s at the latest."),
)
# Dates of birth: a living person's.
BIRTH = DateWindow(
    "birth",
    days_before=130 * 365,
    days_after=0,
    too_early=_("Enter a real date of birth."),
    too_late=_("A date of birth cannot be in the future."),
)


def booking_window(horizon_days: int) -> DateWindow:
    """Bookings start today at the earliest and within the category's horizon."""
    return DateWindow(
        "booking",
        days_before=0,
        days_after=horizon_days,
        too_early=_("A booking cannot start in the past."),
        too_late=_("Bookings can start at most %(latest)s."),
    )


def check_order(start: dt.date | None, end: dt.date | None, *, field: str = "end") -> None:
    """An end never before its start."""
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


# --- Numbers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """A static inclusive range; also the source of a CHECK constraint."""

    name: str
    low: int | Decimal
    high: int | Decimal
    message: str | _StrPromise

    def check(self, value: Any) -> None:
        if value is None:
            return
        if value < self.low or value > self.high:
            raise ValidationError(
                self.message, code=self.name, params={"low": self.low, "high": self.high}
            )

    __call__ = check

    def constraint(
        self, field: str, *, name: str, nullable: bool = False
    ) -> models.CheckConstraint:
        condition = models.Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        if nullable:
            condition |= models.Q(**{f"{field}__isnull": True})
        return models.CheckConstraint(
            condition=condition, name=name, violation_error_message=self.message
        )


HELP_HOURS = Range("help_hours", 1, 40, _("Help is between %(low)s and %(high)s hours a week."))
TERM_MONTHS = Range("term_months", 1, 24, _("A term is between %(low)s and %(high)s months."))
# Trial and notice periods of an agreement, in days.
NOTICE_DAYS = Range("notice_days", 0, 180, _("Enter between %(low)s and %(high)s days."))
# How many days before the interview a closet's outfit may be picked up (the pickup window).
PICKUP_LEAD_DAYS = Range(
    "pickup_lead_days", 0, 14, _("Enter between %(low)s and %(high)s days before the interview.")
)
# Any amount of money a person types (₩): no page or sum has to cope with more.
MONEY = Range("money", 0, 100_000_000, _("Enter an amount between %(low)s and %(high)s."))
# A deposit taken for a loan, and each part of it given back or kept (₩).
DEPOSIT = Range("deposit", 1, 1_000_000, _("A deposit is between ₩%(low)s and ₩%(high)s."))
# Monthly rent: the database holds the absolute ceiling; the city's cap (a setting) is lower.
RENT_CEILING = Range("rent", 0, 10_000_000, _("Monthly rent is between %(low)s and %(high)s."))


def rent_cap() -> int:
    """The current city's monthly rent cap (HOMESHARE_RENT_CAP, per city slug)."""
    caps: dict[str, int] = getattr(settings, "HOMESHARE_RENT_CAP", {})
    cap = caps.get(settings.CITY_SLUG, caps.get("default", int(RENT_CEILING.high)))
    return min(int(cap), int(RENT_CEILING.high))


def check_rent(value: int | None) -> None:
    """Monthly rent within the city's cap."""
    if value is None:
        return
    cap = rent_cap()
    if value < 0 or value > cap:
        raise ValidationError(
            _("Monthly rent is at most %(cap)s in this city."),
            code="rent_cap",
            params={"cap": f"{cap:,}"},
        )


# --- Constraint names to messages ---------------------------------------------------------


# A row id typed into a URL's query or a form's hidden field: digits within the bigint range.
ID_MAX = 2**63 - 1


def id_from(text: object) -> int | None:
    """The id a query or hidden field names, or None when it cannot be one ('x', '-1', 10**30)."""
    if not isinstance(text, str) or not text.isdigit() or not text.isascii():
        return None
    value = int(text)
    return value if 0 < value <= ID_MAX else None


def constraint_message(exc: BaseException) -> str | None:
    """The translated rule behind an IntegrityError, never the constraint's name.

    Every model constraint in the project carries a `violation_error_message`; the error text
    of PostgreSQL and SQLite both contain the constraint's name, so the message is looked up by
    name. None when the error names no known constraint.
    """
    text = str(exc)
    for name, message in _constraint_messages().items():
        if name in text:
            return str(message)
    return None


def _constraint_messages() -> dict[str, Any]:
    from django.apps import apps

    found: dict[str, Any] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = getattr(constraint, "violation_error_message", None)
            if message and constraint.name:
                found[constraint.name] = message
    # Longest first: a name that contains another one wins.
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


# --- Lengths of short texts people type -------------------------------------------------------

TIP_CHARS = 140  # a tip from the last borrower: one line
LIST_NAME_CHARS = 80  # the name of a resident's list of titles
REFERENCE_CHARS = 1000  # a home sharer's private reference about the other side
ASK_CHARS = 1000  # an ask, problem or suggestion to a place (voice)
VOICE_ANSWER_CHARS = 2000  # staff's answer to an ask
VOICE_REASON_CHARS = 500  # why an ask is planned, acquired or declined
