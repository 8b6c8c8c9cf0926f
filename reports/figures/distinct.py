"""What the rollups cannot hold, counted from the loans up to the rollups' last loan: distinct
borrowers per place, category and month, the top titles, items never borrowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count

from .common import (
    GONE,
    LendingFigures,
    Row,
    all_months,
    category_ids_under,
    count_borrowers,
    in_scope_loans,
    local_bounds,
    local_date,
)

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


def count_distinct(
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
        inside = in_scope_loans(scope, list(places)).filter(
            checked_out_at__gte=begin, checked_out_at__lt=after, pk__lte=last_loan_id
        )
        count_borrowers(
            figures,
            inside.annotate(out_day=local_date("checked_out_at")),
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
    months = [row.key for row in all_months(scope, {})]
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
