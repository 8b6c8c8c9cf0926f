"""The rollup tables of the lending figures (reports.models): full build and refresh.

A refresh is exact and safe to run twice, or at the same time as another (the second waits):

- loans returned since the last refresh are the open loans it recorded (OpenLoan) that are now
  returned, plus the returned loans among the latest ids that it had not counted (RecentLoan:
  new since, backdated or not, or committed late). Only their figures are added to LendingDay,
  on whatever dates they fall, however old: a backdated return changes old dates exactly by
  the days the loan was out.
- the loans still open are written down again, whole (renewals and due dates move; their
  loan-days and overdue status are worked out when a report is read, for the day it is read).

Returned loans are never changed by the lending services, so their rows stay right. What a
refresh cannot see, a full rebuild (`manage.py rebuild_report_rollups`, nightly by Celery
beat) puts right: an item given another title (or a title another category or replacement
value) moves its past loans between categories; loans edited by hand in the database; a loan
whose transaction committed after RECENT_WINDOW later ids were handed out (none does: a
check-out commits in milliseconds).

All statements of a refresh read one snapshot of the loans (REPEATABLE READ on PostgreSQL), so
a loan returned while the refresh runs is either in LendingDay or still in OpenLoan, never
both or neither. A session advisory lock, taken before that snapshot, keeps two refreshes
(or a refresh and a rebuild) from adding the same loans twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Greatest, TruncMonth
from django.utils import timezone

from lending.models import Loan

from .figures import (
    REPAIR_CONDITIONS,
    DaysBetween,
    LendingFigures,
    Row,
    add_impact,
    category_ids_under,
    in_scope_loans,
    local_bounds,
    local_date,
    outfit_garments,
)
from .models import LendingDay, OpenLoan, RecentLoan, RollupState

ADVISORY_LOCK = 8_080_808  # any number no other part of the project uses for a lock
# How many of the latest loan ids each refresh looks at again (loans committed out of order).
RECENT_WINDOW = 10_000

COLUMNS = ("loans", "renewals", "late", "returned_days", "value", "repairs", "loan_days")

# Each returned loan adds 1 loan (with its renewals, lateness, length and value) on its check-out
# date, 1 repair on its return date when it came back needing one, and 1 loan-day on each date
# it was out: from check-out to the day before the return (a same-day return: that one day).
# {dates} is the backend's way of turning (out_day, cover) into one row per date.
AGGREGATE = """
    WITH {recursive}closed AS ({closed}){counter}
    SELECT day, place_id, category_id, SUM(loans), SUM(renewals), SUM(late),
           SUM(returned_days), SUM(value), SUM(repairs), SUM(loan_days)
      FROM (
            SELECT out_day AS day, place_id, category AS category_id, 1 AS loans, renewals,
                   late, length AS returned_days, value, 0 AS repairs, 0 AS loan_days
              FROM closed
             UNION ALL
            SELECT back_day, place_id, category, 0, 0, 0, 0, 0, 1, 0
              FROM closed
             WHERE repaired = 1
             UNION ALL
            {dates}
           ) AS contributions
     WHERE TRUE
     GROUP BY day, place_id, category_id
"""
DATES = {
    "postgresql": """
            SELECT out_day + k, place_id, category, 0, 0, 0, 0, 0, 0, 1
              FROM closed CROSS JOIN LATERAL generate_series(0, cover - 1) AS k
    """,
    # SQLite (the test suite and zero-setup installs): a counter up to the longest loan.
    "sqlite": """
            SELECT date(out_day, '+' || k || ' days'), place_id, category, 0, 0, 0, 0, 0, 0, 1
              FROM closed JOIN counter ON k < cover
    """,
}
COUNTER = """,
    counter(k) AS (
        SELECT 0 UNION ALL SELECT k + 1 FROM counter WHERE k + 1 < (SELECT MAX(cover) FROM closed)
    )
"""
INSERT = """
    INSERT INTO reports_lendingday (day, place_id, category_id, loans, renewals, late,
                                    returned_days, value, repairs, loan_days)
    {select}
    ON CONFLICT (place_id, day, category_id) DO UPDATE SET {added}
"""
OPEN = """
    INSERT INTO reports_openloan (loan_id, place_id, category_id, out_day, due_date, renewals,
                                  value)
    {select}
"""


def _days_between(later: str, earlier: str) -> Any:
    return DaysBetween(F(later), F(earlier))


def _returned_loans(which: Q) -> tuple[str, tuple]:
    """SQL of the returned loans selected by `which`, one row each with what LendingDay needs."""
    one, zero = Value(1), Value(0)
    loans = (
        Loan.objects.filter(which, returned_at__isnull=False)
        .order_by()
        .annotate(out_day=local_date("checked_out_at"), back_day=local_date("returned_at"))
        .annotate(
            category=F("item__title__category_id"),
            value=F("item__title__replacement_value"),
            late=Case(When(back_day__gt=F("due_date"), then=one), default=zero),
            length=_days_between("back_day", "out_day"),
            repaired=Case(When(return_condition__in=REPAIR_CONDITIONS, then=one), default=zero),
            cover=Case(
                When(back_day__gt=F("out_day"), then=_days_between("back_day", "out_day")),
                default=one,
                output_field=IntegerField(),
            ),
        )
        .values(
            "place_id",
            "category",
            "out_day",
            "back_day",
            "renewals",
            "late",
            "length",
            "value",
            "repaired",
            "cover",
        )
    )
    sql, params = loans.query.sql_with_params()
    return sql, params


def _add_returned(which: Q) -> None:
    """Add the figures of the returned loans selected by `which` to LendingDay."""
    closed, params = _returned_loans(which)
    vendor = connection.vendor if connection.vendor in DATES else "sqlite"
    sqlite = vendor == "sqlite"
    select = AGGREGATE.format(
        recursive="RECURSIVE " if sqlite else "",
        closed=closed,
        counter=COUNTER if sqlite else "",
        dates=DATES[vendor],
    )
    added = ", ".join(f"{c} = reports_lendingday.{c} + excluded.{c}" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(INSERT.format(select=select, added=added), params)


def _record_open() -> None:
    """Write down the loans still out, whole (OpenLoan)."""
    loans = (
        Loan.objects.filter(returned_at__isnull=True)
        .order_by()
        .annotate(
            loan=F("pk"),
            at_place=F("place_id"),
            out_day=local_date("checked_out_at"),
            due=F("due_date"),
            renewed=F("renewals"),
            category=F("item__title__category_id"),
            value=F("item__title__replacement_value"),
        )
        .values("loan", "at_place", "category", "out_day", "due", "renewed", "value")
    )
    inner, params = loans.query.sql_with_params()
    select = (
        "SELECT loan, at_place, category, out_day, due, renewed, value "  # noqa: S608
        f"FROM ({inner}) AS still_out"
    )
    OpenLoan.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(OPEN.format(select=select), params)
    _analyze("reports_openloan")


def _record_recent(last: int) -> None:
    """Write down the returned loans among the latest ids, now counted in LendingDay."""
    RecentLoan.objects.all().delete()
    recent = Loan.objects.filter(pk__gt=last - RECENT_WINDOW, returned_at__isnull=False)
    inner, params = recent.order_by().annotate(loan=F("pk")).values("loan").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_recentloan (loan_id) SELECT loan FROM ({inner}) AS recent",  # noqa: S608
            params,
        )
    _analyze("reports_recentloan")


def _analyze(table: str) -> None:
    """Fresh planner statistics for a table just rewritten (the next refresh's plans and the
    reports' depend on its size; autovacuum would come later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    """One refresh or rebuild at a time, each reading a single snapshot of the loans."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    with connection.cursor() as cursor:
        # Session lock, taken before the transaction so that its snapshot starts after the
        # previous refresh committed.
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK])
    try:
        outermost = not connection.in_atomic_block  # (tests run inside a transaction)
        with transaction.atomic(), connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET LOCAL jit = off")
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def rebuild(*, now: dt.datetime | None = None) -> RollupState:
    """Make the rollups again from every loan."""
    with _one_at_a_time():
        now = now or timezone.now()
        last = Loan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        LendingDay.objects.all().delete()
        _add_returned(Q(pk__lte=last))
        _record_open()
        _record_recent(last)
        RollupState.objects.all().delete()
        state = RollupState.objects.create(
            pk=1, refreshed_at=now, rebuilt_at=now, last_loan_id=last
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Every row was written again: clear the old ones now rather than at autovacuum's
        # leisure (until then, each report reads through them).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_lendingday")
    else:
        _analyze("reports_lendingday")
    return state


def refresh(*, now: dt.datetime | None = None) -> RollupState:
    """Bring the rollups up to date with the loans returned or made since the last refresh
    (the first time: a full rebuild). Running it twice in a row changes nothing the second
    time."""
    if not RollupState.objects.exists():
        return rebuild(now=now)
    with _one_at_a_time():
        now = now or timezone.now()
        state = RollupState.objects.get()
        last = Loan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        still_open = Loan.objects.filter(returned_at__isnull=True).values("pk")
        was_open = Q(pk__in=OpenLoan.objects.values("loan_id"))
        returned = OpenLoan.objects.exclude(loan_id__in=still_open).values("loan_id")
        counted = Q(pk__in=RecentLoan.objects.values("loan_id"))
        # Two disjoint sets, each found by its index (one OR of both reads every loan).
        _add_returned(Q(pk__in=returned))
        _add_returned(Q(pk__gt=state.last_loan_id - RECENT_WINDOW) & ~was_open & ~counted)
        _record_open()
        last = max(last, state.last_loan_id)
        _record_recent(last)
        state.refreshed_at = now
        state.last_loan_id = last
        state.save(update_fields=["refreshed_at", "last_loan_id"])
        return state


def fresh_state(now: dt.datetime) -> RollupState | None:
    """The rollups' state when they are recent enough to report from (else None: read live).

    The beat refreshes them every few minutes; if it stopped, the report computes from the
    loans rather than show figures hours old."""
    found = RollupState.objects.filter(pk=1).first()
    if found is None or now - found.refreshed_at > dt.timedelta(seconds=max_age()):
        return None
    return found


def max_age() -> int:
    return int(getattr(settings, "REPORTS_ROLLUP_MAX_AGE", 3600))


# --- Reading: the loan figures of a report, from the rollups --------------------------------


def count_loans(
    figures: LendingFigures, places: dict, categories: dict, last_loan_id: int
) -> tuple[dict[int, Row], dict[int, Row], dict[dt.date, Row]]:
    """Loans, renewals, overdue, loan-days, returns, repairs, money and CO2 of the scope, per
    place, category and month: returned loans from LendingDay, open ones from OpenLoan.

    The closet rentals among the loans the rollups hold (ids up to last_loan_id) save once
    (reports.figures.outfit_saving), as in the report computed from the loans."""
    scope, today = figures.scope, figures.today
    place_ids = list(places)
    under = None if scope.category_id is None else category_ids_under(scope.category_id)
    per_place: dict[int, Row] = {}
    per_category: dict[int, Row] = {}
    per_month: dict[dt.date, Row] = {}
    impact: dict[int, list] = {}

    def add(group: dict[str, Any]) -> None:
        place, category, month = group["place_id"], group["category_id"], group["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        prow = per_place.get(place) or per_place.setdefault(place, Row(place, str(places[place])))
        crow = per_category.get(category) or per_category.setdefault(
            category, Row(category, str(categories[category]))
        )
        rows = [prow, crow]
        if group["n"]:
            rows.append(per_month.get(month) or per_month.setdefault(month, Row(month, "")))
        for row in rows:
            row.loans += group["n"]
            row.renewals += group["renewed"] or 0
            row.overdue += group["late"] or 0
        prow.loan_days += group["days"] or 0
        crow.loan_days += group["days"] or 0
        figures.loans += group["n"]
        figures.renewals += group["renewed"] or 0
        figures.overdue += group["late"] or 0
        figures.loan_days += group["days"] or 0
        sums = impact.setdefault(category, [0, 0])
        sums[0] += group["n"]
        sums[1] += group["value"] or 0

    for group in _returned_groups(scope, place_ids, under):
        add(group)
        figures.returned += group["n"]
        figures.returned_days += group["returned_days"] or 0
        figures.repairs += group["repairs"] or 0
    for group in _open_groups(scope, today, place_ids, under):
        add(group)
    begin, after = local_bounds(scope.start, scope.end)
    inside = in_scope_loans(scope, place_ids).filter(
        checked_out_at__gte=begin, checked_out_at__lt=after, pk__lte=last_loan_id
    )
    totals = [(category, n, value) for category, (n, value) in impact.items()]
    add_impact(figures, totals, outfit_garments(inside))
    for month, row in per_month.items():
        row.label = month.strftime("%Y-%m")
    return per_place, per_category, per_month


def _returned_groups(scope: Any, place_ids: list[int], under: set[int] | None) -> Any:
    days = LendingDay.objects.filter(
        place_id__in=place_ids, day__gte=scope.start, day__lte=scope.end
    )
    if under is not None:
        days = days.filter(category_id__in=under)
    return (
        days.annotate(month=TruncMonth("day", output_field=DateField()))
        .values("place_id", "category_id", "month")
        .annotate(
            n=Sum("loans"),
            renewed=Sum("renewals"),
            late=Sum("late"),
            returned_days=Sum("returned_days"),
            value=Sum("value"),
            repairs=Sum("repairs"),
            days=Sum("loan_days"),
        )
        .order_by()
    )


def _open_groups(scope: Any, today: dt.date, place_ids: list[int], under: set[int] | None) -> Any:
    """The loans out at the last refresh: counted if checked out in the range, and their days
    from check-out (or the range start) to the range end (or today)."""
    last = min(scope.end, today)
    loans = OpenLoan.objects.filter(place_id__in=place_ids, out_day__lte=last)
    if under is not None:
        loans = loans.filter(category_id__in=under)
    inside = Q(out_day__gte=scope.start)
    first = Greatest(F("out_day"), Value(scope.start), output_field=DateField())
    return (
        loans.annotate(month=TruncMonth("out_day", output_field=DateField()))
        .values("place_id", "category_id", "month")
        .annotate(
            n=Count("pk", filter=inside),
            renewed=Sum("renewals", filter=inside),
            late=Count("pk", filter=inside & Q(due_date__lt=today)),
            value=Sum("value", filter=inside),
            days=Sum(
                Greatest(DaysBetween(Value(last), first) + 1, Value(0), output_field=IntegerField())
            ),
        )
        .order_by()
    )
