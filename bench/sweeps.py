"""How long the due-soon and overdue sweeps take over a million loans on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench_sweeps \\
        .venv/bin/python bench/sweeps.py [--loans 1000000] [--items 200000] [--members 100000]

Drops and recreates the database named in DATABASE_URL (a throwaway: the name must contain
"bench"), migrates it, bulk-loads members, items and loans with INSERT ... SELECT over
generate_series (most loans returned, one open loan per item at most, open due dates spread
over the last 40 and next 14 days), then prints for each sweep and for the bare SQL statement
that finds the same rows: wall time, rows, the ratio of the two, peak Python memory
(tracemalloc) and peak resident memory (VmHWM, reset before each step). Three runs:
"backlog" (first run over a fresh load), "again" (same moment: nothing left to do) and
"next day" (one day's new candidates, the steady state). Queueing deliveries is replaced by a
counter: what is measured is finding candidates and inserting notice rows.

Figures, 2026-11-22 (after the statistics fix), 1,000,000 loans (150,000 open), quiet 2-core
machine, seconds, sweep / bare find + insert (the same work) and sweep / bare find (writes
nothing): backlog due-soon 0.24 (1.34x / 6.9x, 8,334 rows), backlog overdue 3.37 (1.25x /
6.0x, 87,495 rows), again 0.08 / 0.29 (1.2x / 1.0x), next day 0.44 / 0.88 (0.7x / 0.8x);
RSS peak 112 MiB, Python peak 6 MiB. Before the fix the +7 step planned for an empty notice
table (the server's change counter lags a backend's own inserts) and took 7.6 s of 9 s.
The full output is in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.dev")


def recreate_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the database name must contain 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def load(loans: int, items: int, members: int) -> None:
    from django.db import connection

    from sharing_city.accounts.cities import load_city

    load_city("seoul")
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM accounts_district WHERE code = '11440'")
        district = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, username, email, is_staff,
                is_active, date_joined, full_name, phone, district_id, preferred_language,
                role, member_number, is_verified, is_demo)
            SELECT '!', false, 'm' || g, 'm' || g || '@bench.example', false, true, now(),
                'Member ' || g, '010' || lpad(g::text, 8, '0'), %s,
                CASE WHEN g %% 5 = 0 THEN 'en' ELSE 'ko' END, 'resident',
                'B' || lpad(g::text, 9, '0'), true, false
            FROM generate_series(1, %s) g
            """,
            [district, members],
        )
        cur.execute(
            """
            INSERT INTO lending_place (name_ko, name_en, slug, kind, district_id, address,
                phone, email, is_active)
            SELECT '공유센터 ' || g, 'Centre ' || g, 'bench-' || g, 'tool_centre', %s,
                '서울', '', '', true
            FROM generate_series(1, 50) g
            """,
            [district],
        )
        cur.execute(
            "INSERT INTO lending_category (name_ko, name_en, slug) "
            "VALUES ('공구', 'Tools', 'bench-tools') RETURNING id"
        )
        category = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO lending_title (name_ko, name_en, category_id, description_ko,
                description_en, replacement_value, isbn, author, publisher, search_text,
                loan_count)
            SELECT '전동드릴 ' || g, 'Drill ' || g, %s, '', '', 80000, '', '', '', '', 0
            FROM generate_series(1, 2000) g
            """,
            [category],
        )
        cur.execute(
            """
            INSERT INTO lending_item (code, title_id, place_id, status, condition, note,
                created_at)
            SELECT 'BX-' || g, (SELECT min(id) FROM lending_title) + g %% 2000,
                (SELECT min(id) FROM lending_place) + g %% 50, 'active', 'good', '', now()
            FROM generate_series(1, %s) g
            """,
            [items],
        )
        # Loan g lends item g % items; the last loan of 3/4 of the items is still open, due
        # between 40 days ago and 7 days ahead (lent 7 days before). Every other loan is
        # returned, lent 2 to 24 months ago.
        cur.execute(
            """
            INSERT INTO lending_loan (item_id, member_id, place_id, checked_out_at, due_date,
                renewals, returned_at, return_condition, outcome, fee, deposit)
            SELECT i.id, (SELECT min(id) FROM accounts_user) + (g::bigint * 7919) %% %(members)s,
                i.place_id, x.out_at, (x.out_at + interval '7 days')::date, 0,
                CASE WHEN x.open THEN NULL ELSE x.out_at + interval '5 days' END,
                CASE WHEN x.open THEN '' ELSE 'ok' END,
                CASE WHEN x.open THEN '' ELSE 'returned' END, 0, 0
            FROM generate_series(1, %(loans)s) g
            JOIN lending_item i ON i.code = 'BX-' || (1 + g %% %(items)s)
            CROSS JOIN LATERAL (
                SELECT g > %(loans)s - %(items)s AND g %% 4 <> 0 AS open,
                       CASE WHEN g > %(loans)s - %(items)s
                            THEN now() - make_interval(days => (g %% 48)::int)
                            ELSE now() - make_interval(days => (60 + g %% 700)::int)
                       END AS out_at
            ) x
            """,
            {"loans": loans, "items": items, "members": members},
        )
        cur.execute("ANALYZE")


def _peak_rss() -> float:
    """VmHWM in MiB: the process's peak resident set since the last reset."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):  # Linux only: reset VmHWM to the current RSS
        Path("/proc/self/clear_refs").write_text("5")


def measure(label: str, work: Callable[[], Any]) -> tuple[float, Any]:
    _reset_peak_rss()
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  {label:<36} {elapsed:8.3f} s  {result:>8,} rows  python peak {peak / 2**20:6.1f} MiB"
        f"  RSS peak {_peak_rss():6.1f} MiB"
    )
    return elapsed, result


def compare(
    name: str, bare: Callable[[], int], bare_insert: Callable[[], int], sweep: Callable[[], int]
) -> None:
    """The sweep against two bare statements: finding its rows (a lower bound that writes
    nothing) and finding them and inserting one notice row each (the same work, rolled back
    so the sweep still finds them)."""
    from sharing_city.notifications.services import refresh_statistics_if_stale

    refresh_statistics_if_stale()  # the bare SQL plans with the statistics a sweep would see
    bare_s, _ = measure(f"bare SQL: {name} candidates", bare)
    insert_s, _ = measure(f"bare SQL: {name} find + insert", bare_insert)
    sweep_s, _ = measure(f"sweep_{name}", sweep)
    print(f"  {'ratio sweep / bare find':<36} {sweep_s / max(bare_s, 1e-6):8.2f}")
    print(f"  {'ratio sweep / bare find + insert':<36} {sweep_s / max(insert_s, 1e-6):8.2f}")


# What a person would write by hand for one step's notices, in the notice table's columns: the
# candidates' recipients (active, with an address), one email row each, ON CONFLICT for repeats.
BARE_INSERT = """
INSERT INTO notifications_notice (recipient_id, subject_type, subject_id, kind, step, channel,
    language, status, attempts, last_error, message_id, context, title, created_at,
    next_attempt_at)
SELECT u.id, 'loan', c.b_subject, %s, c.b_step, 'email', u.preferred_language, 'pending', 0,
    '', '<loan-' || c.b_subject || '.' || %s || '.' || c.b_step || '.' || u.id || '@bench>',
    '{{}}', '', now(), now()
FROM ({candidates}) c JOIN accounts_user u ON u.id = c.b_member AND u.is_active AND u.email <> ''
ON CONFLICT DO NOTHING
RETURNING id
"""


def bare_find_and_insert(kind: str, steps: list[tuple[Any, Any]]) -> Callable[[], int]:
    """Per step, (candidate loans queryset, step text expression) as one INSERT ... SELECT,
    timed then rolled back."""
    from django.db import connection, transaction
    from django.db.models import CharField, F
    from django.db.models.functions import Cast

    def run() -> int:
        rows = 0
        with transaction.atomic(), connection.cursor() as cur:
            for qs, step in steps:
                values = qs.values(
                    b_member=F("member_id"), b_subject=Cast("pk", CharField()), b_step=step
                )
                sql, params = values.query.sql_with_params()
                cur.execute(BARE_INSERT.format(candidates=sql), [kind, kind, *params])
                inserted = len(cur.fetchall())
                rows += inserted
                if inserted:
                    # As the sweep does: the next step plans with the rows just inserted (an
                    # in-progress transaction's own rows count in ANALYZE); without it the
                    # planner expects an empty table and the anti join turns quadratic.
                    cur.execute("ANALYZE notifications_notice")
            transaction.set_rollback(True)
        return rows

    return run


def explain(queryset: Any) -> None:
    """The plan of the 'already notified?' anti-join, without fresh statistics."""
    from django.db import connection

    sql, params = queryset.values_list("pk", "member_id").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        for (line,) in cur.fetchall():
            print("    " + line)


def bare_sql(querysets: list[Any]) -> Callable[[], int]:
    """The candidate queries of a sweep, run as SQL with rows fetched and counted."""
    from django.db import connection

    def run() -> int:
        rows = 0
        with connection.cursor() as cur:
            for qs in querysets:
                sql, params = qs.values_list("pk", "member_id").query.sql_with_params()
                cur.execute(sql, params)
                rows += len(cur.fetchall())
        return rows

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("needs PostgreSQL: set DATABASE_URL=postgres://.../sc_bench_sweeps")
    recreate_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import CharField, Value
    from django.utils import timezone

    from lending import notices, sweeps
    from lending.models import Loan
    from sharing_city.notifications.models import Notice

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(args.loans, args.items, args.members)
    print(
        f"loaded {Loan.objects.count():,} loans ({Loan.objects.open().count():,} open) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    queued: list[int] = []
    deliveries = mock.patch(
        "sharing_city.notifications.services.queue_delivery", side_effect=queued.extend
    )
    now = timezone.now()
    print("load average at the start: {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()))
    with deliveries:
        for run, moment in (("backlog", now), ("again", now), ("next day", now + dt.timedelta(1))):
            today = timezone.localdate(moment)
            print(f"{run} ({today}):")
            due_days = list(settings.LENDING_DUE_SOON_DAYS)
            due = [sweeps.due_soon_candidates(today, d) for d in due_days]
            due_steps = [
                Value(notices.loan_step(-d, today + dt.timedelta(days=d)), CharField())
                for d in due_days
            ]
            compare(
                "due_soon",
                bare_sql(due),
                bare_find_and_insert(notices.DUE_SOON, list(zip(due, due_steps, strict=True))),
                partial(sweeps.sweep_due_soon, now=moment),
            )
            windows = sweeps._overdue_windows()
            overdue = [sweeps.overdue_candidates(today, s, u) for s, u in windows]
            overdue_steps = [sweeps._overdue_step(s, "due_date") for s, _u in windows]
            compare(
                "overdue",
                bare_sql(overdue),
                bare_find_and_insert(
                    notices.OVERDUE, list(zip(overdue, overdue_steps, strict=True))
                ),
                partial(sweeps.sweep_overdue, now=moment),
            )
            if run == "next day":
                print("  plan of the +7 step's candidates (statistics as the sweeps left them):")
                explain(overdue[1])
    load1, load5, _ = os.getloadavg()
    print(f"load average at the end: {load1:.1f} / {load5:.1f} on {os.cpu_count()} cores")
    print(
        f"notices: {Notice.objects.count():,}; deliveries queued: {len(queued):,}; "
        f"steps {settings.LENDING_OVERDUE_STEPS}, lost after {settings.LENDING_PRESUMED_LOST_DAYS}"
    )


if __name__ == "__main__":
    main()
