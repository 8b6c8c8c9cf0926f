"""The lending figures of the reports, each defined once, here (the page shows the same words).

Dates are the city's local dates (settings.TIME_ZONE, Asia/Seoul): a check-out at 00:30 on
1 March in Seoul counts on 1 March even though it is still 28 February in UTC. A range is
inclusive of both its first and last day. "Today" caps every open-ended period: the report
never counts days that have not happened.

Definitions:
- loans: check-outs whose check-out time falls in the range.
- unique borrowers: distinct members among those loans.
- new members: members who joined in the range, living in the district (the city: everyone);
  place and category filters do not apply.
- items available: items in the collection at the places today (status active or in
  maintenance; retired and missing items are left out).
- loan-days: for every loan, the dates from its check-out date up to the day before its return
  date (a same-day return counts one day; an open loan runs to today), counted within the range.
- item-days: for every item, the dates from the day it was added (acquired on, else created;
  its first check-out if that is earlier) to the range end or today, or to the day before it
  was retired or went missing, counted within the range.
- utilisation: loan-days ÷ item-days.
- overdue rate: loans returned after their due date, or still out past it today ÷ loans.
- average loan length: mean of (return date − check-out date) in days over the loans that
  were returned; open loans are left out.
- renewals: renewals made on the loans.
- bookings not collected: bookings at the places that expired in the range (set aside, never
  picked up).
- repairs: check-ins in the range that reported the item needing repair, damaged or missing
  parts.
- items never borrowed: items available today that were not checked out in the range.
- money saved (estimate): sum over loans of the category's factor: a share of the title's
  replacement value, or a fixed amount per loan. CO₂ avoided (estimate): sum over loans of the
  category's kg per loan. A closet rental (an outfit of several garments, each a loan) saves
  once: see outfit_saving.

Loans count at the place where they were checked out; items (and their item-days) count at the
place where they are now, so an item moved between places takes its days with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from closets.models import RentalGarment
from lending.models import Booking, Category, Event, Item, Loan, Place
from lending.selectors import category_with_descendants
from lending.services import impact_factors_for
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


def _filtered(qs: Any, scope: Scope, place_field: str, category_field: str) -> Any:
    if scope.district_id is not None:
        qs = qs.filter(**{f"{place_field}__district_id": scope.district_id})
    if scope.place_id is not None:
        qs = qs.filter(**{f"{place_field}_id": scope.place_id})
    if scope.category_id is not None:
        qs = qs.filter(**{f"{category_field}__in": category_ids_under(scope.category_id)})
    return qs


def lending_figures(
    scope: Scope, *, now: dt.datetime | None = None, live: bool = False
) -> LendingFigures:
    """Every lending figure of the report, in a fixed number of queries whatever the data.

    The loan figures come from the rollups (reports.rollups) when they were refreshed recently,
    and are then the loans as they were at that refresh (computed_at says when); else, or with
    live=True, from the loans themselves. Distinct borrowers, top titles, items, members and
    bookings are always counted from their tables.
    """
    from . import rollups

    now = now or timezone.now()
    today = timezone.localdate(now)
    figures = LendingFigures(scope=scope, today=today, computed_at=now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The aggregates cost just over jit_above_cost, and compiling them takes longer
            # (~0.2 s each on the bench) than running them; off for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        state = None if live else rollups.fresh_state(now)
        places = {p.pk: p for p in places_in(scope)}
        categories = {c.pk: c for c in Category.objects.all()}
        if state is None:
            tally = _count_loans(figures, places, categories)
        else:
            figures.computed_at = state.refreshed_at
            per_place, per_category, per_month = rollups.count_loans(
                figures, places, categories, state.last_loan_id
            )
            top, idle = _count_distinct(
                figures, places, per_place, per_category, per_month, state.last_loan_id
            )
            figures.months = _all_months(scope, per_month)
            tally = _Tally(per_place, per_category, top, idle)
        _count_items(figures, places, categories, tally)
        figures.new_members = _new_members(scope)
        figures.bookings_not_collected = _uncollected(scope)
    return figures


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


def _local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=timezone.get_current_timezone())


def _in_scope_loans(scope: Scope, place_ids: list[int]) -> Any:
    loans = Loan.objects.filter(place_id__in=place_ids).order_by()
    if scope.category_id is not None:
        loans = loans.filter(item__title__category_id__in=category_ids_under(scope.category_id))
    return loans


def _loan_days(scope: Scope, today: dt.date) -> Any:
    """Each loan's days within [range start, min(range end, today)], as a database expression.

    The loan runs from its check-out date to the day before its return date (a same-day return
    counts one day; an open loan runs to today); needs the out_day and back_day annotations.
    """
    last_counted = min(scope.end, today)
    first = Greatest(F("out_day"), Value(scope.start), output_field=DateField())
    days = Case(
        When(returned_at__isnull=True, then=DaysBetween(Value(last_counted), first) + 1),
        When(
            back_day__gt=F("out_day"),
            then=DaysBetween(
                Least(
                    F("back_day"),
                    Value(last_counted + dt.timedelta(days=1)),
                    output_field=DateField(),
                ),
                first,
            ),
        ),
        default=DaysBetween(
            Least(F("out_day"), Value(last_counted), output_field=DateField()), first
        )
        + 1,
        output_field=IntegerField(),
    )
    return Greatest(days, Value(0), output_field=IntegerField())


@dataclass
class _Tally:
    per_place: dict[int, Row]
    per_category: dict[int, Row]
    top_title_ids: list[tuple[int, int]]
    # Items never borrowed in the range when already counted: how many, the first 20 by code.
    never_borrowed: tuple[int, list[int]] | None = None


def _count_loans(figures: LendingFigures, places: dict, categories: dict) -> _Tally:
    """The loan figures, aggregated in the database: loans checked out in the range grouped by
    place, category and month, plus the loans from before the range still out at its start."""
    scope, today = figures.scope, figures.today
    begin, after = local_bounds(scope.start, scope.end)
    loans = _in_scope_loans(scope, list(places)).annotate(
        out_day=_local_date("checked_out_at"), back_day=_local_date("returned_at")
    )
    inside = loans.filter(checked_out_at__gte=begin, checked_out_at__lt=after)
    crossing = loans.filter(checked_out_at__lt=begin).filter(
        Q(returned_at__isnull=True) | Q(returned_at__gte=begin)
    )
    repaired = Q(
        return_condition__in=REPAIR_CONDITIONS, returned_at__gte=begin, returned_at__lt=after
    )
    late = Case(
        When(returned_at__isnull=True, due_date__lt=today, then=Value(1)),
        When(back_day__gt=F("due_date"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    length = Case(
        When(returned_at__isnull=False, then=DaysBetween(F("back_day"), F("out_day"))),
        default=Value(0),
        output_field=IntegerField(),
    )
    place_names = {pk: str(place) for pk, place in places.items()}
    category_names = {pk: str(category) for pk, category in categories.items()}
    per_place: dict[int, Row] = {}
    per_category: dict[int, Row] = {}
    per_month: dict[dt.date, Row] = {}

    def rows_for(place: int, category: int) -> tuple[Row, Row]:
        prow = per_place.get(place) or per_place.setdefault(place, Row(place, place_names[place]))
        crow = per_category.get(category) or per_category.setdefault(
            category, Row(category, category_names[category])
        )
        return prow, crow

    month_of = TruncMonth("out_day", output_field=DateField())
    sets = None
    if connection.vendor == "postgresql":
        per_loan = inside.annotate(
            month=month_of,
            category=F("item__title__category_id"),
            value=F("item__title__replacement_value"),
            late=late,
            length=length,
            days=_loan_days(scope, today),
            repaired=Case(When(repaired, then=Value(1)), default=Value(0)),
            title=F("item__title_id"),
        ).values(
            "place_id",
            "category",
            "month",
            "value",
            "member_id",
            "renewals",
            "returned_at",
            "late",
            "length",
            "days",
            "repaired",
            "title",
        )
        sets = _grouping_sets(per_loan)
        groups: Any = sets[1]
    else:
        groups = (
            inside.annotate(month=month_of)
            .values("place_id", "item__title__category_id", "month")
            .annotate(
                n=Count("pk"),
                renewed=Sum("renewals"),
                late=Sum(late),
                returned=Count("returned_at"),
                returned_days=Sum(length),
                days=Sum(_loan_days(scope, today)),
                repairs=Count("pk", filter=repaired),
            )
        )
    for g in groups:
        month = g["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        mrow = per_month.setdefault(month, Row(month, month.strftime("%Y-%m")))
        prow, crow = rows_for(g["place_id"], g["item__title__category_id"])
        for row in (prow, crow, mrow):
            row.loans += g["n"]
            row.renewals += g["renewed"]
            row.overdue += g["late"]
        prow.loan_days += g["days"]
        crow.loan_days += g["days"]
        figures.loans += g["n"]
        figures.renewals += g["renewed"]
        figures.overdue += g["late"]
        figures.returned += g["returned"]
        figures.returned_days += g["returned_days"]
        figures.loan_days += g["days"]
        figures.repairs += g["repairs"]
    # The loans crossing the range start are few: grouped per item without joining titles (a
    # join the planner would make by hashing every item and title), categories looked up after.
    crossing_groups = list(
        crossing.values("place_id", "item_id").annotate(
            days=Sum(_loan_days(scope, today)), repairs=Count("pk", filter=repaired)
        )
    )
    category_of = dict(
        Item.objects.filter(pk__in={g["item_id"] for g in crossing_groups}).values_list(
            "pk", "title__category_id"
        )
    )
    for g in crossing_groups:
        prow, crow = rows_for(g["place_id"], category_of[g["item_id"]])
        prow.loan_days += g["days"]
        crow.loan_days += g["days"]
        figures.loan_days += g["days"]
        figures.repairs += g["repairs"]
    if sets is None:
        _count_borrowers(figures, inside, per_place, per_category, per_month)
        _count_impact(figures, inside)
        top = list(
            inside.values("item__title_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "item__title_id")
            .values_list("item__title_id", "n")[:10]
        )
    else:
        distinct, _, impact, top = sets
        figures.borrowers = distinct.get(("all", None), 0)
        for (kind, key), n in distinct.items():
            if kind == "place":
                per_place[key].borrowers = n
            elif kind == "category":
                per_category[key].borrowers = n
            elif kind == "month":
                per_month[key].borrowers = n
        totals = [(category, n, value * n) for category, value, n in impact]
        add_impact(figures, totals, outfit_garments(inside))
    figures.months = _all_months(scope, per_month)
    return _Tally(per_place, per_category, top)


DISTINCT_SQL = """
    WITH per_loan AS MATERIALIZED (
        SELECT place_id, item_id, member_id, {month} AS month
          FROM lending_loan
         WHERE place_id = ANY(%(places)s)
           AND checked_out_at >= %(begin)s AND checked_out_at < %(after)s
           AND id <= %(last_loan)s
    ), items AS MATERIALIZED (
        SELECT i.id, i.title_id AS title, t.category_id AS category
          FROM lending_item i JOIN lending_title t ON t.id = i.title_id
         WHERE i.id IN (SELECT DISTINCT item_id FROM per_loan)
    ), counted AS MATERIALIZED (
        SELECT place_id, category, month, member_id, title, item_id
          FROM per_loan JOIN items ON items.id = per_loan.item_id
         {in_categories}
    ), idle AS MATERIALIZED (
        SELECT i.id, i.code
          FROM lending_item i
         WHERE i.place_id = ANY(%(places)s) AND i.status <> ALL(%(gone)s) {item_in_categories}
           AND NOT EXISTS (SELECT 1 FROM counted WHERE counted.item_id = i.id)
    )
    SELECT GROUPING(place_id, category, month), place_id, category, month, NULL::bigint,
           COUNT(DISTINCT member_id)
      FROM counted
     GROUP BY GROUPING SETS ((place_id), (category), (month), ())
     UNION ALL
    (SELECT 99, NULL, NULL, NULL, title, COUNT(*)
       FROM counted
      GROUP BY title
      ORDER BY COUNT(*) DESC, title
      LIMIT 10)
     UNION ALL
    SELECT 98, NULL, NULL, NULL, NULL, COUNT(*) FROM idle
     UNION ALL
    (SELECT 97, NULL, NULL, NULL, id, NULL FROM idle ORDER BY code LIMIT 20)
"""


def _count_distinct(
    figures: LendingFigures,
    places: dict,
    per_place: dict[int, Row],
    per_category: dict[int, Row],
    per_month: dict[dt.date, Row],
    last_loan_id: int,
) -> tuple[list[tuple[int, int]], tuple[int, list[int]] | None]:
    """Distinct borrowers (overall, per place, category and month), the ten most borrowed
    titles (ties by title id) and, on PostgreSQL, the items never borrowed (how many, and the
    first 20 by code), from the loans in the range: none of these add up over days.

    Only the loans the rollups counted (id up to their last_loan_id) take part, so these figures
    are of the same moment as the loan counts: no row shows more borrowers than loans."""
    scope = figures.scope
    begin, after = local_bounds(scope.start, scope.end)
    if connection.vendor != "postgresql":
        inside = _in_scope_loans(scope, list(places)).filter(
            checked_out_at__gte=begin, checked_out_at__lt=after, pk__lte=last_loan_id
        )
        _count_borrowers(
            figures,
            inside.annotate(out_day=_local_date("checked_out_at")),
            *(per_place, per_category, per_month),
        )
        top = (
            inside.values("item__title_id").annotate(n=Count("pk")).order_by("-n", "item__title_id")
        )
        return list(top.values_list("item__title_id", "n")[:10]), None
    # The loans' places, items and members come from the index on (place, check-out time)
    # alone; only the items they name are joined to their titles (not every item and title).
    # Each loan's month is its place among the local midnights that start the range's months
    # (a binary search; converting every check-out time to the local date costs far more).
    months = [row.key for row in _all_months(scope, {})]
    params: dict[str, Any] = {
        "places": list(places),
        "begin": begin,
        "after": after,
        "months": [local_bounds(m, m)[0] for m in months[1:]],
        "gone": list(GONE),
        "last_loan": last_loan_id,
    }
    in_categories = item_in_categories = ""
    if scope.category_id is not None:
        in_categories = "WHERE category = ANY(%(categories)s)"
        item_in_categories = (
            "AND i.title_id IN "
            "(SELECT id FROM lending_title WHERE category_id = ANY(%(categories)s))"
        )
        params["categories"] = list(category_ids_under(scope.category_id))
    month = "width_bucket(checked_out_at, %(months)s::timestamptz[])" if months[1:] else "0"
    with connection.cursor() as cursor:
        # The distinct counts sort the range's loans; in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        sql = DISTINCT_SQL.format(
            in_categories=in_categories, item_in_categories=item_in_categories, month=month
        )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    top, idle_count, idle = [], 0, []
    for grouping, place, category, bucket, key, n in rows:
        in_month = None if bucket is None else per_month.get(months[bucket])
        found = {3: per_place.get(place), 5: per_category.get(category), 6: in_month}
        if grouping == 99:
            top.append((key, n))
        elif grouping == 98:
            idle_count = n
        elif grouping == 97:
            idle.append(key)
        elif grouping == 7:
            figures.borrowers = n
        elif (row := found[grouping]) is not None:  # None: loans made since the refresh
            row.borrowers = n
    return top, (idle_count, idle)


def _count_borrowers(
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


def _grouping_sets(per_loan: Any) -> tuple[dict, list[dict], list[tuple], list[tuple[int, int]]]:
    """PostgreSQL: every aggregate over the loans in the range in one pass (one join of loans to
    items and titles instead of seven): sums per (place, category, month), distinct borrowers per
    place, category, month and overall, loans per (category, replacement value), and the ten
    most borrowed titles (ties by title id)."""
    try:
        inner, params = per_loan.query.sql_with_params()
    except EmptyResultSet:  # no places in scope
        return {}, [], [], []
    sql = f"""
        WITH per_loan AS MATERIALIZED ({inner})
        SELECT GROUPING(place_id, category, month, value), place_id, category, month, value,
               NULL::bigint, COUNT(*), SUM(renewals), SUM(late), COUNT(returned_at),
               SUM(length), SUM(days), SUM(repaired), COUNT(DISTINCT member_id)
          FROM per_loan
         GROUP BY GROUPING SETS (
               (place_id, category, month), (place_id), (category), (month), (), (category, value)
         )
         UNION ALL
        (SELECT 99, NULL, NULL, NULL, NULL, title, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL,
                NULL
           FROM per_loan
          GROUP BY title
          ORDER BY COUNT(*) DESC, title
          LIMIT 10)
    """  # noqa: S608  (inner is Django's own compiled SQL; its values stay in params)
    distinct: dict[tuple[str, Any], int] = {}
    groups: list[dict] = []
    impact: list[tuple] = []
    top: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    kinds = {7: "place", 11: "category", 13: "month", 15: "all"}
    for grouping, place, category, month, value, title, n, *sums, borrowers in rows:
        month = month.date() if isinstance(month, dt.datetime) else month
        if grouping == 1:
            renewed, late, returned, returned_days, days, repairs = sums
            groups.append(
                {
                    "place_id": place,
                    "item__title__category_id": category,
                    "month": month,
                    "n": n,
                    "renewed": renewed,
                    "late": late,
                    "returned": returned,
                    "returned_days": returned_days,
                    "days": days,
                    "repairs": repairs,
                }
            )
        elif grouping == 99:
            top.append((title, n))
        elif grouping == 10:
            impact.append((category, value, n))
        else:
            key = {"place": place, "category": category, "month": month, "all": None}
            kind = kinds[grouping]
            distinct[(kind, key[kind])] = borrowers
    return distinct, groups, impact, top


def _count_impact(figures: LendingFigures, inside: Any) -> None:
    """Money saved and CO₂ avoided: loans counted per category and replacement value."""
    groups = list(
        inside.values_list("item__title__category_id", "item__title__replacement_value")
        .annotate(n=Count("pk"))
        .values_list("item__title__category_id", "item__title__replacement_value", "n")
    )
    totals = [(category, n, value * n) for category, value, n in groups]
    add_impact(figures, totals, outfit_garments(inside))


def outfit_garments(loans: Any) -> list[tuple[int, int, Decimal]]:
    """(rental, category, replacement value) of each of `loans` that is a garment of a closet
    rental, in one query (its rows are the closet's loans of the range, not all loans)."""
    lines = RentalGarment.objects.filter(loan_id__in=loans.values("pk")).order_by()
    return list(
        lines.values_list(
            "rental_id", "loan__item__title__category_id", "loan__item__title__replacement_value"
        )
    )


def outfit_saving(garments: list[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """What one closet rental saves, from its garments' (money, CO₂) as ordinary loans.

    A rental saves once: the largest of its garments' money savings (the main piece, a suit
    jacket or a dress, that the job seeker would otherwise have bought; the shirt and tie
    would not have been bought as well) and, on its own, the largest of their CO₂ figures.
    """
    return max(money for money, _ in garments), max(co2 for _, co2 in garments)


def add_impact(
    figures: LendingFigures,
    totals: list[tuple[int, int, Decimal]],
    outfits: Sequence[tuple[int, int, Decimal]] = (),
) -> None:
    """Money saved and CO₂ avoided from (category, loans, their replacement values summed),
    every loan counted; then each closet rental among them, whose garments `outfits` lists
    (outfit_garments), brought down from its garments' sum to its one saving (outfit_saving)."""
    categories = {category for category, _, _ in totals} | {c for _, c, _ in outfits}
    factors = impact_factors_for(categories)
    for category, n, values in totals:
        factor = factors.get(category)
        if factor is not None:
            figures.money_saved += factor.money_for(n, values)
            figures.co2_kg += factor.co2_kg * n
    garments: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for rental, category, value in outfits:
        factor = factors.get(category)
        saving = (Decimal(0), Decimal(0))
        if factor is not None:
            saving = (factor.money_for(1, value), factor.co2_kg)
        garments.setdefault(rental, []).append(saving)
    for savings in garments.values():
        money, co2 = outfit_saving(savings)
        figures.money_saved -= sum(m for m, _ in savings) - money
        figures.co2_kg -= sum(c for _, c in savings) - co2


def _all_months(scope: Scope, per_month: dict[dt.date, Row]) -> list[Row]:
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end:
        months.append(per_month.get(month) or Row(month, month.strftime("%Y-%m")))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _count_items(figures: LendingFigures, places: dict, categories: dict, tally: _Tally) -> None:
    """Items available, item-days per place and category, items never borrowed, top titles."""
    from lending.models import Title

    scope, today = figures.scope, figures.today
    per_place, per_category = tally.per_place, tally.per_category
    items = Item.objects.filter(place_id__in=list(places)).order_by("code")
    if scope.category_id is not None:
        items = items.filter(title__category_id__in=category_ids_under(scope.category_id))
    last_day = min(scope.end, today)
    groups = (
        items.order_by()
        .annotate(days=_item_days(scope, today, last_day))
        .values("place_id", "title__category_id")
        .annotate(days=Sum("days"), available=Count("pk", filter=~Q(status__in=GONE)))
        .values_list("place_id", "title__category_id", "days", "available")
    )
    for place, category, days, available in groups:
        if place not in per_place:
            per_place[place] = Row(place, str(places[place]))
        if category not in per_category:
            per_category[category] = Row(category, str(categories[category]))
        per_place[place].item_days += days
        per_category[category].item_days += days
        figures.item_days += days
        figures.items_available += available
    figures.places = sorted(per_place.values(), key=lambda r: r.label)
    figures.categories = sorted(per_category.values(), key=lambda r: r.label)
    begin, after = local_bounds(scope.start, scope.end)
    borrowed = Loan.objects.filter(
        item_id=OuterRef("pk"),
        place_id__in=list(places),
        checked_out_at__gte=begin,
        checked_out_at__lt=after,
    )
    never = items.exclude(status__in=GONE).filter(~Exists(borrowed))
    if tally.never_borrowed is None:
        figures.never_borrowed = never.count()
    else:
        figures.never_borrowed, first_ids = tally.never_borrowed
        never = items.filter(pk__in=first_ids)
    named = never.select_related("title").only("code", "title__name_ko", "title__name_en")[:20]
    figures.never_borrowed_sample = [(i.code, i.title.name) for i in named]
    top = tally.top_title_ids
    english = (get_language() or "ko").startswith("en")
    names = {
        pk: (en if english else "") or ko or en
        for pk, ko, en in Title.objects.filter(pk__in=[pk for pk, _ in top]).values_list(
            "pk", "name_ko", "name_en"
        )
    }
    figures.top_titles = [(names[pk], count) for pk, count in top]


def _item_days(scope: Scope, today: dt.date, last_day: dt.date) -> Any:
    """An item's days in the collection within [range start, last_day], in the database.

    From the day it was added (acquired on, else created; its first check-out if earlier:
    history entered later) to the day before it was retired or went missing, else last_day.
    """
    tz = timezone.get_current_timezone()
    date: DateField = DateField()
    added = Coalesce("acquired_on", TruncDate("created_at", tzinfo=tz), output_field=date)
    first_loan = Loan.objects.filter(item_id=OuterRef("pk")).order_by().values("item_id")
    first_out = TruncDate(
        Subquery(first_loan.annotate(first=Min("checked_out_at")).values("first")), tzinfo=tz
    )
    # Only an item added after the range start can be moved earlier by its first loan.
    from_day = Case(
        When(
            Q(acquired_on__gt=scope.start)
            | Q(
                acquired_on__isnull=True, created_at__gte=local_bounds(scope.start, scope.start)[1]
            ),
            then=Least(added, Coalesce(first_out, added), output_field=date),
        ),
        default=added,
        output_field=date,
    )
    status_changes = Event.objects.filter(item_id=OuterRef("pk"), action="status").order_by()
    left = TruncDate(
        Subquery(status_changes.values("item_id").annotate(at=Max("at")).values("at")), tzinfo=tz
    )
    after_last = Value(last_day + dt.timedelta(days=1), output_field=date)
    # Exclusive end: the day it left (no record of when: today), else the day after last_day.
    until = Case(
        When(status__in=GONE, then=Coalesce(left, Value(today, output_field=date))),
        default=after_last,
        output_field=date,
    )
    first = Greatest(from_day, Value(scope.start, output_field=date), output_field=date)
    days = DaysBetween(Least(until, after_last, output_field=date), first)
    return Greatest(days, Value(0), output_field=IntegerField())


def _new_members(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    members = get_user_model().objects.filter(date_joined__gte=begin, date_joined__lt=after)
    if scope.district_id is not None:
        members = members.filter(district_id=scope.district_id)
    return members.count()


def _uncollected(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    bookings = _filtered(Booking.objects.all(), scope, "place", "title__category_id")
    return bookings.filter(status="expired", closed_at__gte=begin, closed_at__lt=after).count()
