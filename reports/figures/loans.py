"""The loan figures counted from the loans themselves (the live path): one grouped query, or
on PostgreSQL one query of grouping sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Greatest, Least, TruncMonth

from lending.models import Item

from .common import (
    REPAIR_CONDITIONS,
    DaysBetween,
    LendingFigures,
    Row,
    Scope,
    Tally,
    all_months,
    count_borrowers,
    in_scope_loans,
    local_bounds,
    local_date,
)
from .impact import add_impact, count_impact, outfit_garments


def loan_days(scope: Scope, today: dt.date) -> Any:
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


def count_loans(figures: LendingFigures, places: dict, categories: dict) -> Tally:
    """The loan figures, aggregated in the database: loans checked out in the range grouped by
    place, category and month, plus the loans from before the range still out at its start."""
    scope, today = figures.scope, figures.today
    begin, after = local_bounds(scope.start, scope.end)
    loans = in_scope_loans(scope, list(places)).annotate(
        out_day=local_date("checked_out_at"), back_day=local_date("returned_at")
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
            days=loan_days(scope, today),
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
        sets = grouping_sets(per_loan)
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
                days=Sum(loan_days(scope, today)),
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
            days=Sum(loan_days(scope, today)), repairs=Count("pk", filter=repaired)
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
        count_borrowers(figures, inside, per_place, per_category, per_month)
        count_impact(figures, inside)
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
    figures.months = all_months(scope, per_month)
    return Tally(per_place, per_category, top)


def grouping_sets(per_loan: Any) -> tuple[dict, list[dict], list[tuple], list[tuple[int, int]]]:
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
