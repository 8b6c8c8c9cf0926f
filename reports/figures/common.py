"""What every figure of a report shares: its scope, its rows, the local-date bounds and
expressions (reports.figures defines the figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Func, IntegerField
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from lending.models import Loan, Place
from lending.selectors import category_with_descendants
from lending.services.common import DAMAGED_CONDITIONS

REPAIR_CONDITIONS = tuple(sorted(DAMAGED_CONDITIONS))  # returns that need a repair
GONE = ("retired", "missing")


@dataclass(frozen=True)
class Scope:
    """What a report covers: a district (None: the whole city), optional place and category
    (the category includes its sub-categories), and an inclusive range of local dates."""

    start: dt.date
    end: dt.date
    district_id: int | None = None
    place_id: int | None = None
    category_id: int | None = None

    def cache_key(self) -> str:
        return f"{self.start}:{self.end}:{self.district_id}:{self.place_id}:{self.category_id}"


@dataclass
class Row:
    """One line of a breakdown (a place, a category, a month)."""

    key: Any
    label: str
    loans: int = 0
    borrowers: int = 0
    loan_days: int = 0
    item_days: int = 0
    renewals: int = 0
    overdue: int = 0
    members: set[int] = field(default_factory=set, repr=False)

    @property
    def utilisation(self) -> float | None:
        return self.loan_days / self.item_days if self.item_days else None


@dataclass
class LendingFigures:
    scope: Scope
    today: dt.date
    computed_at: dt.datetime
    loans: int = 0
    borrowers: int = 0
    new_members: int = 0
    items_available: int = 0
    loan_days: int = 0
    item_days: int = 0
    overdue: int = 0
    renewals: int = 0
    returned: int = 0
    returned_days: int = 0
    bookings_not_collected: int = 0
    repairs: int = 0
    money_saved: Decimal = Decimal(0)
    co2_kg: Decimal = Decimal(0)
    places: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    top_titles: list[tuple[str, int]] = field(default_factory=list)
    never_borrowed: int = 0
    never_borrowed_sample: list[tuple[str, str]] = field(default_factory=list)

    @property
    def utilisation(self) -> float | None:
        return self.loan_days / self.item_days if self.item_days else None

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.loans if self.loans else None

    @property
    def average_loan_days(self) -> float | None:
        return self.returned_days / self.returned if self.returned else None


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes of local midnight at the start and after the last day of the range."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return begin, after


def category_ids_under(category_id: int) -> set[int]:
    """The category and every one below it (lending's cached category tree)."""
    return set(category_with_descendants(category_id))


def places_in(scope: Scope) -> Any:
    places = Place.objects.all()
    if scope.district_id is not None:
        places = places.filter(district_id=scope.district_id)
    if scope.place_id is not None:
        places = places.filter(pk=scope.place_id)
    return places


def filtered(qs: Any, scope: Scope, place_field: str, category_field: str) -> Any:
    if scope.district_id is not None:
        qs = qs.filter(**{f"{place_field}__district_id": scope.district_id})
    if scope.place_id is not None:
        qs = qs.filter(**{f"{place_field}_id": scope.place_id})
    if scope.category_id is not None:
        qs = qs.filter(**{f"{category_field}__in": category_ids_under(scope.category_id)})
    return qs


class DaysBetween(Func):
    """Whole days from the second date to the first (both local dates), as an integer."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=timezone.get_current_timezone())


def in_scope_loans(scope: Scope, place_ids: list[int]) -> Any:
    loans = Loan.objects.filter(place_id__in=place_ids).order_by()
    if scope.category_id is not None:
        loans = loans.filter(item__title__category_id__in=category_ids_under(scope.category_id))
    return loans


def count_borrowers(
    figures: LendingFigures,
    inside: Any,
    per_place: dict[int, Row],
    per_category: dict[int, Row],
    per_month: dict[dt.date, Row],
) -> None:
    """Distinct members per place, per category, per month and overall (not additive)."""
    members = Count("member_id", distinct=True)
    figures.borrowers = inside.aggregate(n=members)["n"]
    for key, rows in (("place_id", per_place), ("item__title__category_id", per_category)):
        for pk, n in inside.values_list(key).annotate(n=members).values_list(key, "n"):
            if pk in rows:  # else: loans made since the rollups' refresh
                rows[pk].borrowers = n
    months = inside.annotate(month=TruncMonth("out_day", output_field=DateField()))
    for month, n in months.values_list("month").annotate(n=members).values_list("month", "n"):
        month = month.date() if isinstance(month, dt.datetime) else month
        if month in per_month:
            per_month[month].borrowers = n


def all_months(scope: Scope, per_month: dict[dt.date, Row]) -> list[Row]:
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end:
        months.append(per_month.get(month) or Row(month, month.strftime("%Y-%m")))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class Tally:
    per_place: dict[int, Row]
    per_category: dict[int, Row]
    top_title_ids: list[tuple[int, int]]
    # Items never borrowed in the range when already counted: how many, the first 20 by code.
    never_borrowed: tuple[int, list[int]] | None = None
