"""Server time of a desk check-out and check-in with many desks at once, on PostgreSQL.

    .venv/bin/python bench/desk.py                          # 50 desks, 20 cycles each
    .venv/bin/python bench/desk.py --desks 50 --cycles 40 --via client
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python bench/desk.py

N threads, one per desk, each with its own volunteer, database connection and shelf of items
at one of N/5 places (five desks share a place, as on a busy Saturday). A cycle lends a free
item to a random member and takes it back. `--via services` times the lending services
(`tool_centres.services.check_out_basket`, `check_in_at_desk`); `--via client` times the
desk's POSTs through Django's test client (scan member, scan item, check out, scan, check in),
i.e. the views, forms, sessions and templates too. Prints the median and p95 per operation.

The database (default sc_desk_bench) is created and migrated when missing; the benchmark's
rows use the prefix BENCH-DESK and are left in place. Figures only: nothing passes or fails.
The load generator shares the machine's cores with PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sc_desk_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.dev")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.replace(parsed.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("bench/desk.py measures PostgreSQL: set DATABASE_URL=postgres://...")
ensure_database(os.environ["DATABASE_URL"])

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals are counted, not logged

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from lending.models import (  # noqa: E402
    Category,
    Item,
    LendingRule,
    OpeningHours,
    Place,
    PlaceRole,
    Title,
)
from sharing_city.accounts.models import District, User  # noqa: E402
from tool_centres import services  # noqa: E402

PREFIX = "BENCH-DESK"


def setup(desks: int, items_per_desk: int, members: int) -> list[dict]:
    """Places, volunteers and members (reused), and fresh items for this run."""
    call_command("migrate", verbosity=0)
    run = f"{int(time.time()) % 100000:05d}"
    district = District.objects.order_by("pk").first()
    if district is None:
        call_command("load_city", "seoul", verbosity=0)
        district = District.objects.order_by("pk").first()
    category, _ = Category.objects.get_or_create(
        slug="bench-desk", defaults={"name_ko": "벤치 공구", "name_en": "Bench tools"}
    )
    LendingRule.objects.get_or_create(
        category=category,
        place=None,
        defaults={"loan_days": 7, "max_items_per_member": 10_000, "turnaround_days": 0},
    )
    title, _ = Title.objects.get_or_create(category=category, name_ko="벤치 드릴")
    pool = []
    for n in range(members):
        user, _ = User.objects.get_or_create(
            username=f"bench-desk-member-{n}",
            defaults={"email": f"bench-desk-member-{n}@example.org", "full_name": f"Member {n}"},
        )
        pool.append(user)
    plan = []
    for d in range(desks):
        place, _ = Place.objects.get_or_create(
            slug=f"bench-desk-{d // 5}",
            defaults={
                "name_ko": f"벤치 센터 {d // 5}",
                "kind": Place.Kind.TOOL_CENTRE,
                "district": district,
                "address": "-",
            },
        )
        for weekday in range(7):
            OpeningHours.objects.get_or_create(
                place=place, weekday=weekday, opens="00:00", closes="23:59"
            )
        volunteer, _ = User.objects.get_or_create(
            username=f"bench-desk-volunteer-{d}",
            defaults={
                "email": f"bench-desk-volunteer-{d}@example.org",
                "full_name": f"Volunteer {d}",
                "role": "volunteer",
                "preferred_language": "en",
            },
        )
        PlaceRole.objects.get_or_create(place=place, user=volunteer)
        # Fresh items each run: an item returned today stays spoken for until tomorrow
        # (the engine keeps a returned loan's day), so yesterday's run cannot block this one.
        items = Item.objects.bulk_create(
            Item(code=f"{PREFIX}-{run}-{d:02d}-{i:03d}", title=title, place=place)
            for i in range(items_per_desk)
        )
        plan.append({"place": place, "volunteer": volunteer, "items": items, "members": pool})
    return plan


def via_services(
    desk: dict, cycles: int, timings: dict, errors: list, start: threading.Barrier
) -> None:
    place, volunteer, items, members = (
        desk["place"],
        desk["volunteer"],
        desk["items"],
        desk["members"],
    )
    start.wait()
    try:
        for n in range(cycles):
            item = items[n % len(items)]
            member = random.choice(members)
            t0 = time.perf_counter()
            lines = services.check_out_basket(
                member=member, items=[item], place=place, by=volunteer
            )
            t1 = time.perf_counter()
            if not lines[0].ok:
                errors.append(f"check_out {item.code}: {lines[0].error}")
                continue
            services.check_in_at_desk(item=item, place=place, by=volunteer, condition="ok")
            t2 = time.perf_counter()
            timings["check_out"].append(t1 - t0)
            timings["check_in"].append(t2 - t1)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


def via_client(
    desk: dict, cycles: int, timings: dict, errors: list, start: threading.Barrier
) -> None:
    place, volunteer, items, members = (
        desk["place"],
        desk["volunteer"],
        desk["items"],
        desk["members"],
    )
    client = Client()
    client.force_login(volunteer)

    def post(name: str, data: dict, label: str | None = None) -> None:
        t0 = time.perf_counter()
        response = client.post(reverse(f"tool_centres:{name}", args=[place.slug]), data)
        timings[label or name].append(time.perf_counter() - t0)
        if response.status_code != 302:
            errors.append(f"{name} {data}: HTTP {response.status_code}")

    start.wait()
    try:
        for n in range(cycles):
            item = items[n % len(items)]
            post("scan", {"code": random.choice(members).member_number}, "scan_member")
            post("scan", {"code": item.code}, "scan_item")
            post("check-out", {})
            post("scan", {"code": item.code}, "scan_item")
            post("check-in", {"code": item.code, "condition": "ok"})
            t0 = time.perf_counter()
            client.get(reverse("tool_centres:desk", args=[place.slug]))
            timings["desk_page"].append(time.perf_counter() - t0)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument(
        "--items", type=int, default=0, help="items per desk (default: one per cycle)"
    )
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--via", choices=["services", "client"], default="services")
    args = parser.parse_args()

    plan = setup(args.desks, args.items or args.cycles, args.members)
    connection.close()
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    barrier = threading.Barrier(args.desks)
    target = via_services if args.via == "services" else via_client
    threads = [
        threading.Thread(target=target, args=(desk, args.cycles, timings, errors, barrier))
        for desk in plan
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    print(f"desk benchmark via {args.via}: {args.desks} concurrent desks x {args.cycles} cycles")
    print(f"database {connection.settings_dict['NAME']} on {connection.vendor}; wall {wall:.1f} s")
    print(f"{'operation':<12} {'n':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, values in sorted(timings.items()):
        if values:
            print(
                f"{name:<12} {len(values):>6} {statistics.median(values) * 1000:>10.1f}"
                f" {percentile(values, 95) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
            )
    cycles = len(timings.get("check_out", timings.get("check-out", [])))
    print(f"cycles completed: {cycles} ({cycles / wall:.1f} per second); errors: {len(errors)}")
    for error in errors[:10]:
        print("  ", error)


if __name__ == "__main__":
    main()
