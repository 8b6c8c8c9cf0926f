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

lending_figures puts them together from the parts: common (the scope, rows and shared
expressions), loans (counted from the loans), distinct (beside the rollups), items, impact.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from lending.models import Category

from .common import (
    REPAIR_CONDITIONS,
    DaysBetween,
    LendingFigures,
    Row,
    Scope,
    Tally,
    all_months,
    category_ids_under,
    in_scope_loans,
    local_bounds,
    local_date,
    places_in,
)
from .distinct import count_distinct
from .impact import add_impact, outfit_garments, outfit_saving
from .items import count_items, new_members, uncollected
from .loans import count_loans


def lending_figures(
    scope: Scope, *, now: dt.datetime | None = None, live: bool = False
) -> LendingFigures:
    """Every lending figure of the report, in a fixed number of queries whatever the data.

    The loan figures come from the rollups (reports.rollups) when they were refreshed recently,
    and are then the loans as they were at that refresh (computed_at says when); else, or with
    live=True, from the loans themselves. Distinct borrowers, top titles, items, members and
    bookings are always counted from their tables.
    """
    from .. import rollups

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
            tally = count_loans(figures, places, categories)
        else:
            figures.computed_at = state.refreshed_at
            per_place, per_category, per_month = rollups.count_loans(
                figures, places, categories, state.last_loan_id
            )
            top, idle = count_distinct(
                figures, places, per_place, per_category, per_month, state.last_loan_id
            )
            figures.months = all_months(scope, per_month)
            tally = Tally(per_place, per_category, top, idle)
        count_items(figures, places, categories, tally)
        figures.new_members = new_members(scope)
        figures.bookings_not_collected = uncollected(scope)
    return figures


__all__ = [
    "REPAIR_CONDITIONS",
    "DaysBetween",
    "LendingFigures",
    "Row",
    "Scope",
    "add_impact",
    "category_ids_under",
    "in_scope_loans",
    "lending_figures",
    "local_bounds",
    "local_date",
    "outfit_garments",
    "outfit_saving",
    "places_in",
]
