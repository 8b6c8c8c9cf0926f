"""Catalogue search time on PostgreSQL, with the demo data or with 100,000 items.

    .venv/bin/python bench/catalogue_search.py                    # 100,000 items
    .venv/bin/python bench/catalogue_search.py --items 0          # the demo data only (~250)
    .venv/bin/python bench/catalogue_search.py --repeat 30 --explain
    .venv/bin/python bench/catalogue_search.py --reuse            # time again, same data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python bench/catalogue_search.py

Creates a throwaway database (default sc_catalogue_bench, dropped and re-created each run unless
DATABASE_URL is given), migrates it, loads the demo data, then bulk-inserts titles with
realistic Korean/English names (5 copies each, 1 in 10 copies out on loan) at 100 places in
the 25 districts. Each query runs what the catalogue page runs: the shared FilterSet, the
count, the first page of 20 and the "where to borrow" rows. Prints median and p95 in ms, and
the first page's plan in one line (top node, how lending_title is read, execution time).
Figures only: nothing passes or fails. The script shares the cores with PostgreSQL.

Figures of 2026-11-22 (2 cores shared by 7 engineers, `nice -n 10`, --reuse, 20 repeats), median
/ p95 ms for the whole page (count capped at 1,000, page of 20, where-to-borrow rows):
  200,319 items / 40,060 titles, load 3.2-3.4: 드릴 55/68, drill 67/92, 충전식 드릴 35/45,
    드릴 + available + district 127/145, 텐트 + dates 85/107, landing page 21/34, page 40 31/34,
    item page 11/13. Before (100,000 items, heavily loaded): searches 155-395 median.
  100,319 items / 20,060 titles, load 3.7: 드릴 26/36, drill 53/61, 드릴 + available + district
    84/108, landing page 28/31, item page 14/17.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sc_catalogue_bench"
THROWAWAY = "DATABASE_URL" not in os.environ
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.dev")


def fresh_database(url: str, drop: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.replace(parsed.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("bench/catalogue_search.py measures PostgreSQL: set DATABASE_URL=postgres://...")

ADJECTIVES = [
    ("충전식", "cordless"),
    ("전동", "electric"),
    ("무선", "wireless"),
    ("대형", "large"),
    ("소형", "small"),
    ("접이식", "folding"),
    ("알루미늄", "aluminium"),
    ("캠핑용", "camping"),
    ("가정용", "household"),
    ("전문가용", "professional"),
    ("휴대용", "portable"),
    ("어린이", "children's"),
]
NOUNS = [
    ("드릴", "drill"),
    ("해머드릴", "hammer drill"),
    ("그라인더", "grinder"),
    ("사다리", "ladder"),
    ("원형톱", "circular saw"),
    ("직소", "jigsaw"),
    ("망치", "hammer"),
    ("텐트", "tent"),
    ("캐리어", "suitcase"),
    ("청소기", "vacuum cleaner"),
    ("공구세트", "tool set"),
    ("렌치", "wrench"),
    ("드라이버", "screwdriver"),
    ("재봉틀", "sewing machine"),
    ("프로젝터", "projector"),
    ("아이스박스", "cool box"),
    ("타카", "staple gun"),
    ("글루건", "glue gun"),
    ("고압세척기", "pressure washer"),
    ("제설삽", "snow shovel"),
]
BOOK_WORDS = [
    ("바다", "sea"),
    ("도시", "city"),
    ("여름", "summer"),
    ("이야기", "story"),
    ("마음", "mind"),
    ("역사", "history"),
    ("요리", "cooking"),
    ("정원", "garden"),
    ("별", "star"),
    ("기억", "memory"),
    ("시간", "time"),
    ("고양이", "cat"),
]
AUTHORS = ["김영하", "한강", "박완서", "신경숙", "황석영", "공지영", "정유정", "이문열", "김훈"]
QUERIES = [
    ("드릴", {"q": "드릴"}),
    ("drill", {"q": "drill"}),
    ("전동", {"q": "전동"}),
    ("충전식 드릴 (two words)", {"q": "충전식 드릴"}),
    ("cordless drill (two words)", {"q": "cordless drill"}),
    ("드릴 + available now + district", {"q": "드릴", "available": "on", "district": "11440"}),
    ("drill + category tools + popular", {"q": "drill", "category": "tools", "sort": "popular"}),
    ("텐트 + dates", {"q": "텐트", "start": "+3", "end": "+5"}),
    ("no words, category books", {"category": "books"}),
    ("landing page (no filter)", {}),
    ("landing page, page 40", {"page": "40"}),
    ("한강 (author)", {"q": "한강"}),
]


def bulk_insert(total_items: int, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from lending.models import Category, Item, Loan, Occupancy, Place, Title
    from sharing_city.accounts.models import District

    districts = list(District.objects.filter(city="seoul"))
    places = [
        Place(
            slug=f"bench-{i:03d}",
            kind="tool_centre" if i % 4 else "apartment_library",
            district=districts[i % len(districts)],
            name_ko=f"벤치 공유센터 {i}",
            name_en=f"Bench centre {i}",
            address="서울",
            latitude=districts[i % len(districts)].latitude,
            longitude=districts[i % len(districts)].longitude,
        )
        for i in range(100)
    ]
    places = Place.objects.bulk_create(places)
    leaves = list(Category.objects.filter(children__isnull=True).exclude(slug="books"))
    books = Category.objects.get(slug="books")
    titles = []
    for n in range(total_items // 5):
        if n % 4 == 3:
            (ko1, en1), (ko2, en2) = rng.sample(BOOK_WORDS, 2)
            titles.append(
                Title(
                    category=books,
                    name_ko=f"{ko1}의 {ko2} {n}",
                    name_en=f"The {en2} of the {en1} {n}",
                    author=rng.choice(AUTHORS),
                    publisher="벤치출판",
                )
            )
        else:
            adj_ko, adj_en = rng.choice(ADJECTIVES)
            noun_ko, noun_en = rng.choice(NOUNS)
            titles.append(
                Title(
                    category=rng.choice(leaves),
                    name_ko=f"{adj_ko} {noun_ko} {n % 97}호",
                    name_en=f"{adj_en.title()} {noun_en} no. {n % 97}",
                )
            )
    titles = Title.objects.bulk_create(titles, batch_size=2000)
    items = [
        Item(code=f"BENCH-{t.pk}-{c}", title=t, place=places[(t.pk * 7 + c) % len(places)])
        for t in titles
        for c in range(5)
    ]
    items = Item.objects.bulk_create(items, batch_size=5000)
    member = get_user_model().objects.filter(username="resident").first()
    now = timezone.now()
    today = timezone.localdate()
    out = items[::10]
    loans = Loan.objects.bulk_create(
        [
            Loan(
                item=i,
                member=member,
                place_id=i.place_id,
                checked_out_at=now,
                due_date=today + dt.timedelta(days=rng.randint(-3, 7)),
            )
            for i in out
        ],
        batch_size=5000,
    )
    Occupancy.objects.bulk_create(
        [
            Occupancy(
                item_id=loan.item_id,
                loan=loan,
                start=today,
                end=max(loan.due_date, today) + dt.timedelta(days=2),
            )
            for loan in loans
        ],
        batch_size=5000,
    )
    # Rows written without save(): fill the catalogue's denormalised columns as a loader must.
    from lending import search

    search.refresh(Title.objects.iterator(chunk_size=5000))
    search.refresh_loan_counts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Refused(Exception):
    """The FilterSet refused a query's parameters on this database."""


def resolve(params: dict[str, str]) -> dict[str, str]:
    from django.utils import timezone

    today = timezone.localdate()
    return {
        k: (today + dt.timedelta(days=int(v[1:]))).isoformat() if v.startswith("+") else v
        for k, v in params.items()
    }


def run_page(params: dict[str, str]) -> int:
    """What the catalogue page does: filter, count (capped), a page, where-to-borrow rows."""
    from django.utils import timezone

    from lending import selectors
    from lending.filters import CatalogueFilter
    from lending.models import Title
    from lending.views import PAGE_SIZE, CappedPaginator

    today = timezone.localdate()
    fs = CatalogueFilter(params, queryset=Title.objects.all(), today=today, counts=False)
    if not fs.is_valid():  # e.g. a category this database does not have: say so, go on
        raise Refused("; ".join(f"{k}: {' '.join(v)}" for k, v in fs.form.errors.items()))
    qs = fs.qs
    count = CappedPaginator(qs, PAGE_SIZE).count  # as the page counts: at most 1,000
    first = (int(params.get("page", "1")) - 1) * 20
    page = list(qs[first : first + 20])
    selectors.count_copies(page, selectors.where_available(page, fs.copies(), today))
    return count


def run_item_page(title_id: int) -> int:
    """What the item page reads: the title, its copies with status, rules, queue, calendar."""
    from django.utils import timezone

    from lending import selectors
    from lending.models import Title

    today = timezone.localdate()
    title = Title.objects.select_related("category").get(pk=title_id)
    data = selectors.title_page(title, today=today, origin=None)
    selectors.availability(data.copies, today, 60, today)
    return len(data.copies)


def explain(params: dict[str, str]) -> str:
    from django.utils import timezone

    from lending.filters import CatalogueFilter
    from lending.models import Title

    fs = CatalogueFilter(
        params, queryset=Title.objects.all(), today=timezone.localdate(), counts=False
    )
    fs.is_valid()
    first = (int(params.get("page", "1")) - 1) * 20
    return fs.qs[first : first + 20].explain(analyze=True)


def plan_summary(params: dict[str, str]) -> str:
    """The first page's plan: its top node and how the title table is reached."""
    lines = [line.strip() for line in explain(params).splitlines()]
    top = lines[0].split("  (")[0]
    scans = [
        line.split("  (")[0].lstrip("-> ")
        for line in lines
        if " on lending_title" in line or "title_search_grams" in line
    ]
    total = next((line for line in lines if line.startswith("Execution Time")), "")
    return f"{top} | {'; '.join(dict.fromkeys(scans)) or '-'} | {total}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="0: the demo data only")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    args = parser.parse_args()
    fresh_database(os.environ["DATABASE_URL"], drop=THROWAWAY and not args.reuse)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lending.models import Item, Title

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Item.objects.exists():
        call_command("load_demo", verbosity=0)
        if args.items:
            bulk_insert(args.items, random.Random(2012))
    print(
        f"PostgreSQL {connection.pg_version}; "  # type: ignore[attr-defined]
        f"{Title.objects.count():,} titles, "
        f"{Item.objects.count():,} items; setup {time.perf_counter() - started:.0f} s"
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")
    print(f"{'query':40} {'results':>8} {'median ms':>10} {'p95 ms':>8}")
    baseline = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        Title.objects.count()
        baseline.append((time.perf_counter() - t0) * 1000)
    print(f"{'(baseline: count all titles)':40} {'':>8} {statistics.median(baseline):>10.1f}")
    for label, raw in QUERIES:
        params = resolve(raw)
        try:
            run_page(params)  # warm the cache and the plan
        except Refused as refused:
            print(f"{label:40} skipped, the filter refused it here ({refused})")
            continue
        timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            count = run_page(params)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        print(f"{label:40} {count:>8,} {statistics.median(timings):>10.1f} {p95:>8.1f}")
        print(f"    plan: {plan_summary(params)}")
        if args.explain:
            print(explain(params))

    most_borrowed = Title.objects.order_by("-loan_count", "pk").values_list("pk", flat=True)[:20]
    timings = []
    for title_id in list(most_borrowed) * max(1, args.repeat // 20 or 1):
        t0 = time.perf_counter()
        copies = run_item_page(title_id)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    label = "item page (20 most borrowed titles)"
    print(f"{label:40} {copies:>8,} {statistics.median(timings):>10.1f} {p95:>8.1f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
