"""City-scale data for the benchmarks: members, places, titles, items, loans, occupancy.

    DATABASE_URL=postgres://postgres@127.0.0.1/sc_bench_district \\
      .venv/bin/python bench/generate.py --preset district

The database must be migrated (`manage.py migrate`) and have the demo city loaded
(`manage.py load_demo`: districts, categories with their rules, demo personas); `bin/run-bench`
does both on a throwaway database. Rows go in with PostgreSQL's COPY FROM STDIN into the real
tables, so every constraint still checks them: one open loan per item (partial unique index) and
non-overlapping Occupancy rows (exclusion constraint) hold because the database accepted the load.

Popularity is Zipf-like: a few titles and borrowers account for most loans. Each item's history
is cut into equal slots, one loan per slot, so an item's loans never overlap; only the last slot
may hold the item's one open loan (some of them overdue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, models  # noqa: E402

from lending.models import (  # noqa: E402
    Category,
    Item,
    LendingRule,
    Loan,
    Occupancy,
    OpeningHours,
    Place,
    PlaceRole,
    Title,
)
from sharing_city.accounts.models import District, User  # noqa: E402

BENCH_PASSWORD = "bench-password-not-secret"
SEOUL = ZoneInfo("Asia/Seoul")
HISTORY_DAYS = 3 * 365


@dataclass(frozen=True)
class Preset:
    members: int
    items: int
    loans: int
    places: int
    one_district: bool


PRESETS = {
    "small": Preset(members=2_000, items=1_000, loans=20_000, places=20, one_district=True),
    "district": Preset(members=50_000, items=20_000, loans=500_000, places=40, one_district=True),
    "city": Preset(
        members=1_000_000, items=200_000, loans=5_000_000, places=500, one_district=False
    ),
}

SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
    "진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은"
    "편용예경봉사부가복태목형"
)
SURNAME_WEIGHTS = [21.5, 14.7, 8.4, 4.7, 4.3, 2.3, 2.1, 2.1, 2.0, 1.6, 1.5, 1.5, 1.5, 1.5, 1.4]
GIVEN = "민서준지현우예도하윤수연은성진영재희경주훈아태혜정채원소유나상동다인승건시혁"
EN_FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Daniel",
    "Sarah",
    "Thomas",
    "Emma",
    "Olivia",
    "Noah",
    "Liam",
    "Sophia",
    "Grace",
    "Lucas",
    "Ethan",
    "Chloe",
    "Mia",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Miller",
    "Wilson",
    "Moore",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Thompson",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
]
TOOL_WORDS = [
    ("전동드릴", "drill"),
    ("해머드릴", "hammer drill"),
    ("원형톱", "circular saw"),
    ("직소기", "jigsaw"),
    ("샌더", "sander"),
    ("사다리", "ladder"),
    ("고압세척기", "pressure washer"),
    ("텐트", "tent"),
    ("여행가방", "suitcase"),
    ("재봉틀", "sewing machine"),
    ("제습기", "dehumidifier"),
    ("공구세트", "tool set"),
    ("예초기", "string trimmer"),
    ("빔프로젝터", "projector"),
]
BRANDS = ["보쉬", "마끼다", "디월트", "계양", "블랙앤데커", "스탠리", "샘소나이트", "코베아"]
BOOK_WORDS_KO = [
    "바다",
    "별",
    "바람",
    "도시",
    "여름",
    "겨울",
    "고양이",
    "정원",
    "시간",
    "기억",
    "편지",
    "서울",
    "밤",
    "숲",
    "강",
    "노래",
    "마음",
    "집",
    "길",
    "빛",
]
BOOK_WORDS_EN = [
    "sea",
    "star",
    "wind",
    "city",
    "summer",
    "winter",
    "cat",
    "garden",
    "time",
    "memory",
    "letter",
    "Seoul",
    "night",
    "forest",
    "river",
    "song",
    "heart",
    "home",
    "road",
    "light",
]


def korean_name(rng: random.Random) -> str:
    surname = (
        rng.choices(SURNAMES[:15], SURNAME_WEIGHTS)[0]
        if rng.random() < 0.8
        else (rng.choice(SURNAMES))
    )
    return surname + rng.choice(GIVEN) + rng.choice(GIVEN)


def english_name(rng: random.Random) -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


# --- COPY plumbing ---------------------------------------------------------------------------


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table. Columns not given get the field's constant default,
    so a field added later with a Python default does not break the generator."""
    with connection.cursor() as cursor:
        existing = {
            c.name
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }
    fields = [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False) and f.column in existing
    ]
    tail_fields = [f for f in fields if f.column not in columns]
    tail_values: list[Any] = []
    for field in tail_fields:
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise SystemExit(f"{model.__name__}.{field.name}: no value and no default")
        if isinstance(field, models.JSONField):
            from psycopg.types.json import Jsonb

            value = Jsonb(value)
        tail_values.append(value)
    tail = tuple(tail_values)
    all_columns = [*columns, *(f.column for f in tail_fields)]
    sql = "COPY {} ({}) FROM STDIN".format(
        model._meta.db_table, ", ".join(f'"{c}"' for c in all_columns)
    )
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + tail)
                count += 1
    return count


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in model_list:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


# --- the data --------------------------------------------------------------------------------


def zipf_counts(n: int, total: int, cap: int, s: float, rng: np.random.Generator) -> np.ndarray:
    """`total` spread over `n` slots with Zipf-like weights (rank^-s, ranks shuffled),
    no slot above `cap`: the capped excess goes to the others, as in a busy real catalogue."""
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    rng.shuffle(weights)
    counts = np.zeros(n)
    free = np.ones(n, dtype=bool)
    remaining = float(total)
    for _ in range(20):
        share = weights * free
        counts = np.where(free, remaining * share / share.sum(), counts)
        over = counts > cap
        if not over.any():
            break
        counts[over] = cap
        free &= ~over
        remaining = total - counts[~free].sum()
    floor = np.floor(counts).astype(np.int64)
    short = total - int(floor.sum())
    if short > 0:
        room = np.flatnonzero(floor < cap)
        floor[rng.choice(room, size=min(short, len(room)), replace=False)] += 1
    return floor


class Generator:
    def __init__(self, preset: Preset, seed: int) -> None:
        self.p = preset
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.today = dt.date.today()
        self.password = make_password(BENCH_PASSWORD)
        self.now = dt.datetime.now(tz=SEOUL)

    def log(self, what: str, count: int, started: float) -> None:
        print(f"  {what:<28} {count:>10,} rows  {time.monotonic() - started:6.1f} s", flush=True)

    def run(self) -> None:
        districts = list(District.objects.filter(city="seoul").order_by("code"))
        if not districts:
            raise SystemExit("no districts: run `manage.py load_demo` first")
        if self.p.one_district:
            districts = [d for d in districts if d.code == "11440"] or districts[:1]
        self.district_ids = [d.pk for d in districts]
        leaves = list(Category.objects.filter(children__isnull=True).order_by("pk"))
        self.book_categories = [c.pk for c in leaves if "book" in c.slug] or [leaves[0].pk]
        self.tool_categories = [c.pk for c in leaves if c.pk not in self.book_categories]
        rule_field = LendingRule._meta.get_field("turnaround_days")
        self.turnaround = int(rule_field.get_default())
        self.places()
        self.members()
        self.titles_and_items()
        self.loans()
        reset_sequences(User, Place, OpeningHours, PlaceRole, Title, Item, Loan, Occupancy)
        self.denormalised()
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.log("ANALYZE", 0, started)

    def denormalised(self) -> None:
        """Columns the app keeps in save() (search text, loan counts): COPY bypassed it."""
        from lending import search

        started = time.monotonic()
        titles = Title.objects.all()
        count = 0
        if hasattr(search, "refresh"):
            count = search.refresh(titles.iterator(chunk_size=2000))
        if hasattr(search, "refresh_loan_counts"):
            search.refresh_loan_counts()  # the app's own set-based recount
        self.log("search text, loan counts", count, started)

    def places(self) -> None:
        started = time.monotonic()
        first = next_id(Place)
        self.place_ids = list(range(first, first + self.p.places))
        self.place_kind = {}
        self.place_district = {}
        rows = []
        for n, pk in enumerate(self.place_ids):
            kind = "apartment_library" if n % 5 in (1, 3) else "tool_centre"
            district = self.district_ids[n % len(self.district_ids)]
            self.place_kind[pk] = kind
            self.place_district[pk] = district
            label_ko = "작은도서관" if kind == "apartment_library" else "공유센터"
            label_en = "Mini Library" if kind == "apartment_library" else "Sharing Centre"
            rows.append(
                (
                    pk,
                    f"벤치 {n + 1}호 {label_ko}",
                    f"Bench {label_en} {n + 1}",
                    f"bench-place-{pk}",
                    kind,
                    district,
                    f"서울특별시 벤치로 {n + 1}",
                    True,
                )
            )
        count = copy_rows(
            Place,
            ["id", "name_ko", "name_en", "slug", "kind", "district_id", "address", "is_active"],
            rows,
        )
        hours_id = next_id(OpeningHours)
        hours = []
        for pk in self.place_ids:
            for weekday in range(6):
                hours.append((hours_id, pk, weekday, dt.time(10), dt.time(19)))
                hours_id += 1
        copy_rows(OpeningHours, ["id", "place_id", "weekday", "opens", "closes"], hours)
        self.log("places (+ opening hours)", count, started)

    def members(self) -> None:
        """Residents, one volunteer per place, one staff member per district."""
        started = time.monotonic()
        first = next_id(User)
        self.member_first = first
        joined = self.now - dt.timedelta(days=HISTORY_DAYS + 30)
        rng = self.rng

        def rows() -> Iterator[tuple]:
            for i in range(self.p.members):
                pk = first + i
                english = rng.random() < 0.15
                yield (
                    pk,
                    self.password,
                    f"member{pk}",
                    english_name(rng) if english else korean_name(rng),
                    f"member{pk}@bench.sharing.city",
                    f"010{rng.randrange(10**8):08d}",
                    rng.choice(self.district_ids),
                    "en" if english else "ko",
                    "resident",
                    f"SC9{pk:08d}",
                    joined,
                    rng.random() < 0.3,
                )
            for n, place in enumerate(self.place_ids):
                pk = first + self.p.members + n
                yield (
                    pk, self.password, f"bench-vol-{n}", korean_name(rng),
                    f"bench-vol-{n}@bench.sharing.city", "", self.place_district[place], "ko",
                    "volunteer", f"SC8{pk:08d}", joined, True,
                )  # fmt: skip
            for n, district in enumerate(self.district_ids):
                pk = first + self.p.members + len(self.place_ids) + n
                yield (
                    pk, self.password, f"bench-staff-{n}", korean_name(rng),
                    f"bench-staff-{n}@bench.sharing.city", "", district, "ko", "staff",
                    f"SC7{pk:08d}", joined, True,
                )  # fmt: skip

        columns = [
            "id", "password", "username", "full_name", "email", "phone", "district_id",
            "preferred_language", "role", "member_number", "date_joined", "is_verified",
        ]  # fmt: skip
        count = copy_rows(User, columns, rows())
        self.volunteer_of = {
            place: first + self.p.members + n for n, place in enumerate(self.place_ids)
        }
        role_id = next_id(PlaceRole)
        copy_rows(
            PlaceRole,
            ["id", "place_id", "user_id", "role"],
            (
                (role_id + n, place, user, "volunteer")
                for n, (place, user) in enumerate(self.volunteer_of.items())
            ),
        )
        self.log("members (+ volunteers, staff)", count, started)

    def titles_and_items(self) -> None:
        started = time.monotonic()
        n_titles = max(10, self.p.items // 3)
        first = next_id(Title)
        rng = self.rng
        self.title_is_book: dict[int, bool] = {}

        def titles() -> Iterator[tuple]:
            for i in range(n_titles):
                pk = first + i
                if i % 5 in (1, 3):
                    self.title_is_book[pk] = True
                    ko = " ".join(rng.sample(BOOK_WORDS_KO, 2)) + f" {i}"
                    en = " ".join(rng.sample(BOOK_WORDS_EN, 2)).title() + f" {i}"
                    author = korean_name(rng) if rng.random() < 0.8 else english_name(rng)
                    category = rng.choice(self.book_categories)
                    yield (pk, ko, en, category, author, "벤치출판", 2000 + i % 26)
                else:
                    self.title_is_book[pk] = False
                    word_ko, word_en = rng.choice(TOOL_WORDS)
                    brand = rng.choice(BRANDS)
                    ko, en = f"{brand} {word_ko} {i}", f"{word_en.capitalize()} {i}"
                    yield (pk, ko, en, rng.choice(self.tool_categories), "", "", None)

        count = copy_rows(
            Title,
            ["id", "name_ko", "name_en", "category_id", "author", "publisher", "year"],
            titles(),
        )
        self.log("titles", count, started)
        started = time.monotonic()
        books = [t for t, is_book in self.title_is_book.items() if is_book]
        tools = [t for t, is_book in self.title_is_book.items() if not is_book]
        libraries = [p for p in self.place_ids if self.place_kind[p] == "apartment_library"]
        centres = [p for p in self.place_ids if self.place_kind[p] == "tool_centre"]
        first_item = next_id(Item)
        self.item_ids = list(range(first_item, first_item + self.p.items))
        self.item_place: dict[int, int] = {}
        created = self.now - dt.timedelta(days=HISTORY_DAYS + 10)

        def items() -> Iterator[tuple]:
            for pk in self.item_ids:
                book = rng.random() < 0.4
                place = rng.choice(libraries if book and libraries else centres or libraries)
                title = rng.choice(books if book and books else tools or books)
                self.item_place[pk] = place
                status = "active" if rng.random() < 0.97 else "maintenance"
                yield (pk, f"BN-{pk:08d}", title, place, status, created)

        count = copy_rows(
            Item, ["id", "code", "title_id", "place_id", "status", "created_at"], items()
        )
        self.log("items", count, started)

    def loans(self) -> None:
        """Loans item by item; the last slot may be the open loan (overdue when past due)."""
        started = time.monotonic()
        n_items = len(self.item_ids)
        cap = HISTORY_DAYS // 9
        per_item = zipf_counts(n_items, self.p.loans, cap, 0.9, self.np)
        member_weights = 1.0 / np.arange(1, self.p.members + 1) ** 0.6
        member_weights /= member_weights.sum()
        borrowers = self.member_first + self.np.choice(
            self.p.members, size=int(per_item.sum()), p=member_weights
        )
        durations = self.np.integers(2, 15, size=len(borrowers))
        offsets = self.np.random(len(borrowers))
        hours = self.np.integers(10, 19, size=len(borrowers))
        start = self.today - dt.timedelta(days=HISTORY_DAYS)
        first_loan = next_id(Loan)
        occupancy: list[tuple] = []
        rng = self.rng
        loan_days = 7

        def rows() -> Iterator[tuple]:
            pk = first_loan
            k = 0
            for index, item in enumerate(self.item_ids):
                n = int(per_item[index])
                if not n:
                    continue
                place = self.item_place[item]
                volunteer = self.volunteer_of[place]
                slot = HISTORY_DAYS / n
                open_last = rng.random() < min(0.6, 0.05 + n / cap)
                for j in range(n):
                    member = int(borrowers[k])
                    days = int(min(durations[k], slot - 1))
                    if j == n - 1 and open_last:
                        # the open loan: checked out in the last 25 days, after the previous slot
                        day = max(int(j * slot) + 1, HISTORY_DAYS - rng.randrange(1, 26))
                    else:
                        day = int(j * slot + offsets[k] * max(0.0, slot - days - 1))
                    out_date = start + dt.timedelta(days=day)
                    out = dt.datetime.combine(out_date, dt.time(int(hours[k])), SEOUL)
                    due = out_date + dt.timedelta(days=loan_days)
                    k += 1
                    if j == n - 1 and open_last:
                        end = due + dt.timedelta(days=1 + self.turnaround)
                        occupancy.append((item, out_date, end, pk))
                        yield (pk, item, member, place, out, volunteer, due, None, None, "", "")
                    else:
                        back = out + dt.timedelta(days=days, hours=rng.randrange(0, 3))
                        yield (
                            pk, item, member, place, out, volunteer, due, back, volunteer, "ok",
                            "returned",
                        )  # fmt: skip
                    pk += 1

        columns = [
            "id", "item_id", "member_id", "place_id", "checked_out_at", "checked_out_by_id",
            "due_date", "returned_at", "returned_by_id", "return_condition", "outcome",
        ]  # fmt: skip
        count = copy_rows(Loan, columns, rows())
        self.log("loans", count, started)
        started = time.monotonic()
        first_occ = next_id(Occupancy)
        count = copy_rows(
            Occupancy,
            ["id", "item_id", "start", "end", "loan_id"],
            ((first_occ + n, *row) for n, row in enumerate(occupancy)),
        )
        self.log("occupancy (open loans)", count, started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("the generator needs PostgreSQL: set DATABASE_URL=postgres://...")
    if User.objects.filter(username__startswith="bench-vol-").exists():
        raise SystemExit("this database already holds bench data: use a fresh one")
    started = time.monotonic()
    print(f"Generating preset {args.preset!r}: {PRESETS[args.preset]}", flush=True)
    Generator(PRESETS[args.preset], args.seed).run()
    print(f"Done in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
