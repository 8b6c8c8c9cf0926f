"""Time the staff report for one district over a year on a city-scale PostgreSQL database.

    nice -n 10 .venv/bin/python bench/reports.py --loans 500000     # default: 5,000,000

Creates a throwaway database (default sc_bench_reports; dropped and created again), migrates it,
loads the Seoul districts and the demo's categories and rules, and bulk-loads members, 500
places across the 25 districts, items and N loans with bench/generate.py (COPY into the real
tables, so every constraint checks them). Then it times:

- the cold report: the figures computed from the tables (what a cache miss costs, and what the
  Celery warm-up task pays per district), median of --runs;
- the page as staff see it (GET of the staff report with the figures cached), median of --runs,
  with its SQL query count;
- warming the public figures of every district and the city (the Celery task).

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
    return time.monotonic() - started


def median_time(action: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


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
    from reports import selectors
    from reports.figures import Scope, lending_figures
    from sharing_city.accounts.models import District, User

    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor != "postgresql":
        raise SystemExit("needs PostgreSQL: set BENCH_PG or DATABASE_URL")
    if not args.reuse:
        print(f"Bulk load: {load(args):.1f} s", flush=True)
    district = District.objects.get(city="seoul", code=args.district)
    today = timezone.localdate()
    scope = Scope(today - dt.timedelta(days=364), today, district_id=district.pk)
    print(
        f"Database: {Loan.objects.count():,} loans, {Place.objects.count()} places; district "
        f"{district.name_en}: {Place.objects.filter(district=district).count()} places, "
        f"{Loan.objects.filter(place__district=district).count():,} loans",
        flush=True,
    )

    cold, figures = median_time(lambda: lending_figures(scope), args.runs)
    with CaptureQueriesContext(connection) as queries:
        lending_figures(scope)
    print(
        f"Cold report (figures from the tables), median of {args.runs}: {cold * 1000:.0f} ms, "
        f"{len(queries)} queries"
    )

    staff = User.objects.filter(role="staff", district=district).first() or User.objects.create(
        username="bench-report-staff", role="staff", district=district
    )
    client = Client()
    client.force_login(staff)
    url = reverse("reports:staff", kwargs={"code": district.code})
    params = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}
    cache.clear()
    first, response = median_time(lambda: client.get(url, params), 1)
    assert response.status_code == 200, response.status_code  # type: ignore[attr-defined]
    page, _ = median_time(lambda: client.get(url, params), args.runs)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    print(f"Staff report page, first view (computes and caches): {first * 1000:.0f} ms")
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
