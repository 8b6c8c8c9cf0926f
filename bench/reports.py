"""Time the staff report for one district over a year on a city-scale PostgreSQL database.

    nice -n 10 .venv/bin/python bench/reports.py --loans 500000     # default: 5,000,000

Creates a throwaway database (default sc_bench_reports; dropped and created again), migrates it,
loads the Seoul districts and the demo's categories and rules, and bulk-loads members, 500
places across the 25 districts, items and N loans with bench/generate.py (COPY into the real
tables, so every constraint checks them), then VACUUM ANALYZE of the loans (as autovacuum would
after so many inserts). Then it times:

- the cold report computed from the loans themselves (no rollups; what it cost before them),
  median of --runs;
- the rollups (reports.rollups): a full build, a refresh after --changes returns (some
  backdated), renewals and check-outs (some backdated), and a refresh with nothing new;
- the cold report from the rollups (what a cache miss costs, and what the Celery warm-up pays
  per district), median of --runs, with its query count, and whether it equals the report
  computed from the loans;
- the page as staff see it, uncached and cached, medians of --runs, with its SQL query count;
- warming the public figures of every district and the city (the Celery task).

The refresh step changes loans: use it on a bench database only.

With --reuse it skips the load and times an existing bench database (for `make bench`, which
sets DATABASE_URL). Prints figures only; nothing here passes or fails on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=5_000_000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default="sc_bench_reports")
    parser.add_argument("--district", default="11440", help="district code (default Mapo-gu)")
    parser.add_argument("--reuse", action="store_true", help="time the database in DATABASE_URL")
    parser.add_argument(
        "--changes", type=int, default=300, help="loans returned and made before the refresh"
    )
    return parser.parse_args()


def fresh_database(name: str) -> None:
    if not name.startswith("sc_bench"):
        raise SystemExit("refusing to drop a database whose name does not start with sc_bench")
    subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
        check=True,
    )
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)


def load(args: argparse.Namespace) -> float:
    from django.core.management import call_command

    from sharing_city.accounts.cities import load_city

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_city("seoul")
    from lending.demo import load as lending_demo
    from sharing_city.accounts.demo import load as accounts_demo

    accounts_demo()
    lending_demo()
    from bench import generate

    preset = generate.Preset(
        members=max(1_000, args.loans // 5),
        items=max(500, args.loans // 25),
        loans=args.loans,
        places=args.places,
        one_district=False,
    )
    print(f"Loading {preset}", flush=True)
    generate.Generator(preset, seed=8).run()
    # What autovacuum does to a table after many inserts: the visibility map that lets the
    # reports read a range's loans from the index alone.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE lending_loan")
    return time.monotonic() - started


def median_time(action: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def simulate_a_few_minutes(n: int) -> str:
    """What a few busy minutes of the city's desks do before a refresh: n open loans returned
    (a third of them backdated by up to a week), n new loans checked out (a tenth of them
    backdated by up to a month), n loans renewed."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from lending.models import Item, Loan

    rng = random.Random(8)
    now = timezone.now()
    with transaction.atomic():
        out = list(Loan.objects.filter(returned_at__isnull=True).order_by("?")[: n * 2])
        for loan in out[:n]:
            back = now - dt.timedelta(days=rng.choice([0, 0, rng.randint(1, 7)]))
            loan.returned_at = max(back, loan.checked_out_at)
            loan.return_condition = rng.choice(["ok"] * 9 + ["needs_repair"])
            loan.outcome = "returned"
        Loan.objects.bulk_update(out[:n], ["returned_at", "return_condition", "outcome"])
        for loan in out[n:]:
            loan.renewals += 1
            loan.due_date += dt.timedelta(days=7)
        Loan.objects.bulk_update(out[n:], ["renewals", "due_date"])
        free = Item.objects.filter(status="active").exclude(loans__returned_at__isnull=True)
        items = list(free.order_by("?").values_list("pk", "place_id")[:n])
        member = Loan.objects.values_list("member_id", flat=True)[0]
        new = []
        for pk, place in items:
            at = now - dt.timedelta(days=rng.randint(1, 30) if rng.random() < 0.1 else 0)
            new.append(
                Loan(item_id=pk, member_id=member, place_id=place, checked_out_at=at,
                     due_date=timezone.localdate(at) + dt.timedelta(days=7))
            )  # fmt: skip
        Loan.objects.bulk_create(new)
    return f"{n} returns, {len(out) - n} renewals, {len(new)} check-outs"


def compare(a: Any, b: Any) -> str:
    """'yes', or the figures that differ between two reports."""
    names = ["loans", "borrowers", "loan_days", "item_days", "overdue", "renewals", "returned"]
    names += ["returned_days", "repairs", "money_saved", "co2_kg", "top_titles"]
    names += ["never_borrowed", "items_available", "new_members"]
    differ = [n for n in names if getattr(a, n) != getattr(b, n)]
    for kind in ("places", "categories", "months"):
        rows = [[(r.key, r.loans, r.borrowers, r.loan_days, r.overdue) for r in getattr(x, kind)]
                for x in (a, b)]  # fmt: skip
        if rows[0] != rows[1]:
            differ.append(kind)
    return "yes" if not differ else "NO, differ: " + ", ".join(differ)


def main() -> None:
    args = parse()
    if not args.reuse:
        fresh_database(args.db)
        os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from lending.models import Loan, Place
    from reports import rollups, selectors
    from reports.figures import Scope, lending_figures
    from reports.models import LendingDay, OpenLoan
    from sharing_city.accounts.models import District, User

    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor != "postgresql":
        raise SystemExit("needs PostgreSQL: set BENCH_PG or DATABASE_URL")
    if not args.reuse:
        print(f"Bulk load: {load(args):.1f} s", flush=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    district = District.objects.get(city="seoul", code=args.district)
    today = timezone.localdate()
    scope = Scope(today - dt.timedelta(days=364), today, district_id=district.pk)
    print(
        f"Database: {Loan.objects.count():,} loans, {Place.objects.count()} places; district "
        f"{district.name_en}: {Place.objects.filter(district=district).count()} places, "
        f"{Loan.objects.filter(place__district=district).count():,} loans",
        flush=True,
    )

    live, figures = median_time(lambda: lending_figures(scope, live=True), args.runs)
    with CaptureQueriesContext(connection) as queries:
        lending_figures(scope, live=True)
    print(
        f"Cold report computed from the loans (no rollups), median of {args.runs}: "
        f"{live * 1000:.0f} ms, {len(queries)} queries",
        flush=True,
    )

    built, _ = median_time(rollups.rebuild, 1)
    print(
        f"Rollups, full build (manage.py rebuild_report_rollups): {built:.1f} s; "
        f"{LendingDay.objects.count():,} LendingDay rows, {OpenLoan.objects.count():,} open loans",
        flush=True,
    )
    changed = simulate_a_few_minutes(args.changes)
    refreshed, _ = median_time(rollups.refresh, 1)
    print(
        f"Rollups, refresh after {changed} (the 5-minute Celery task): {refreshed:.2f} s",
        flush=True,
    )
    again, _ = median_time(rollups.refresh, args.runs)
    print(f"Rollups, refresh with nothing new, median of {args.runs}: {again:.2f} s", flush=True)

    cold, figures = median_time(lambda: lending_figures(scope), args.runs)
    with CaptureQueriesContext(connection) as queries:
        lending_figures(scope)
    print(
        f"Cold report from the rollups (what a cache miss costs), median of {args.runs}: "
        f"{cold * 1000:.0f} ms, {len(queries)} queries",
        flush=True,
    )
    same = compare(lending_figures(scope), lending_figures(scope, live=True))
    print(f"Report from the rollups equals the report from the loans: {same}", flush=True)

    # Not a demo account: those cannot sign in with DEBUG off (make bench runs that way).
    staff = User.objects.filter(
        role="staff", district=district, is_demo=False
    ).first() or User.objects.create(username="bench-report-staff", role="staff", district=district)
    client = Client()
    client.force_login(staff)
    url = reverse("reports:staff", kwargs={"code": district.code})
    params = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}

    def uncached_page() -> Any:
        cache.clear()
        return client.get(url, params)

    first, response = median_time(uncached_page, args.runs)
    assert response.status_code == 200, response.status_code
    print(f"Staff report page, uncached (computes and caches), median of {args.runs}: "
          f"{first * 1000:.0f} ms")  # fmt: skip
    page, _ = median_time(lambda: client.get(url, params), args.runs)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    print(
        f"Staff report page, cached figures, median of {args.runs}: {page * 1000:.0f} ms, "
        f"{len(queries)} queries"
    )

    warm, count = median_time(selectors.warm_public_figures, 1)
    print(f"Warm public figures ({count} scopes x 2 languages, the Celery task): {warm:.1f} s")
    default, _ = median_time(lambda: client.get(url), args.runs)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"Staff report page, default view (district, last 12 months) after the warm-up, "
        f"median of {args.runs}: {default * 1000:.0f} ms, {len(queries)} queries"
    )

    f = figures
    print(f"\nFigures for {district.name_en}, {scope.start} to {scope.end}:")
    for label, value in [
        ("loans", f.loans),
        ("unique borrowers", f.borrowers),
        ("items available", f.items_available),
        ("utilisation", f"{(f.utilisation or 0) * 100:.1f} %"),
        ("overdue rate", f"{(f.overdue_rate or 0) * 100:.1f} %"),
        ("average loan (days)", f"{f.average_loan_days or 0:.1f}"),
        ("renewals", f.renewals),
        ("places", len(f.places)),
        ("items never borrowed", f.never_borrowed),
    ]:
        print(f"  {label:<22} {value:>12}")


if __name__ == "__main__":
    main()
