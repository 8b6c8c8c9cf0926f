"""CSV import of a book list (or any item list) into one place: all rows or none.

Every row is checked before anything is written; a file with one bad row imports nothing and
the importer sees each bad row with its line number and reason. Rows reuse a title with the
same ISBN (or, without an ISBN, the same category, Korean name and author) and create items
with the code given or the next free generated one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum import isbn as isbn_check

from lending import access
from lending.models import ITEM_CODE_VALIDATOR, Category, Event, Item, Place, Title
from sharing_city.core.errors import InvalidInput

COLUMNS = ["code", "name_ko", "name_en", "author", "publisher", "year", "isbn", "category"]
REQUIRED = {"name_ko"}
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
DEFAULT_CATEGORY = "books"
TEMPLATE_ROWS = [
    ["", "채식주의자", "The Vegetarian", "한강", "창비", "2007", "9788936433598", "books"],
    ["B-0001", "우리 동네 이야기", "", "마을 주민", "", "", "", "books"],
]


class ImportRefused(InvalidInput):
    """The file has bad rows; `errors` lists (line number, reason) for every one of them."""

    code = "import_refused"
    default_message = _("Nothing was imported: fix the rows below and upload the file again.")

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__()


@dataclass
class Row:
    line: int
    code: str
    name_ko: str
    name_en: str
    author: str
    publisher: str
    year: int | None
    isbn: str
    category: Category


@dataclass
class ImportResult:
    items: list[Item] = field(default_factory=list)
    titles_created: int = 0


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def _decode(upload: IO[bytes]) -> str:
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportRefused([(0, gettext("The file is larger than 2 MB; split it."))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [(0, gettext("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))]
        ) from exc


def _isbn(value: str) -> str:
    """The ISBN as 13 digits, or raise ValueError."""
    compact = isbn_check.compact(value)
    if not isbn_check.is_valid(compact):
        raise ValueError
    return isbn_check.to_isbn13(compact).replace("-", "")


def _check_row(
    line: int, raw: dict[str, str], categories: dict[str, Category], seen: set[str]
) -> tuple[Row | None, list[str]]:
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    problems: list[str] = []
    code = value["code"].upper()
    if code:
        try:
            ITEM_CODE_VALIDATOR(code)
        except ValidationError:
            problems.append(gettext("code “%(code)s” is not a valid item code") % {"code": code})
        if code in seen:
            problems.append(gettext("code “%(code)s” appears twice in the file") % {"code": code})
        seen.add(code)
    if not value["name_ko"] and not value["name_en"]:
        problems.append(gettext("a name (name_ko or name_en) is required"))
    if any(len(value[k]) > 200 for k in ("name_ko", "name_en", "author", "publisher")):
        problems.append(gettext("a name, author or publisher is longer than 200 characters"))
    year = None
    if value["year"]:
        if not re.fullmatch(r"\d{4}", value["year"]) or not (
            1400 <= int(value["year"]) <= dt.date.today().year + 1
        ):
            problems.append(gettext("year “%(year)s” is not a year") % {"year": value["year"]})
        else:
            year = int(value["year"])
    isbn = ""
    if value["isbn"]:
        try:
            isbn = _isbn(value["isbn"])
        except ValueError:
            problems.append(gettext("ISBN “%(isbn)s” is not valid") % {"isbn": value["isbn"]})
    category = categories.get(value["category"] or DEFAULT_CATEGORY)
    if category is None:
        problems.append(
            gettext("category “%(slug)s” does not exist")
            % {"slug": value["category"] or DEFAULT_CATEGORY}
        )
    if problems or category is None:
        return None, problems
    name_ko = value["name_ko"] or value["name_en"]
    return Row(
        line,
        code,
        name_ko,
        value["name_en"],
        value["author"],
        value["publisher"],
        year,
        isbn,
        category,
    ), []


def parse(upload: IO[bytes]) -> list[Row]:
    """Every row checked; raises ImportRefused listing each bad row (line 1 is the header)."""
    reader = csv.DictReader(io.StringIO(_decode(upload)))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = REQUIRED - set(header)
    if missing:
        raise ImportRefused(
            [
                (
                    1,
                    gettext("the header row needs the columns: %(cols)s")
                    % {"cols": ", ".join(COLUMNS)},
                )
            ]
        )
    categories = {c.slug: c for c in Category.objects.all()}
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    try:
        for raw in reader:
            line = reader.line_num
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append((line, gettext("more than 5,000 rows; split the file")))
                break
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue  # blank line
            row, problems = _check_row(line, raw, categories, seen)
            if row is not None:
                rows.append(row)
            errors.extend((line, p) for p in problems)
    except csv.Error as exc:
        errors.append(
            (reader.line_num, gettext("the CSV is malformed: %(error)s") % {"error": exc})
        )
    taken = set(Item.objects.filter(code__in=seen).values_list("code", flat=True))
    errors.extend(
        (row.line, gettext("code “%(code)s” is already used") % {"code": row.code})
        for row in rows
        if row.code in taken
    )
    if not rows and not errors:
        errors.append((2, gettext("the file has no rows")))
    if errors:
        raise ImportRefused(sorted(errors))
    return rows


def _code_generator(place: Place) -> Any:
    prefix = f"P{place.pk}-"
    used = set(Item.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 0
    while True:
        n += 1
        code = f"{prefix}{n:05d}"
        if code not in used:
            yield code


def _title_for(row: Row, cache: dict[tuple[Any, ...], Title]) -> tuple[Title, bool]:
    key: tuple[Any, ...] = (
        ("isbn", row.isbn) if row.isbn else ("name", row.category.pk, row.name_ko, row.author)
    )
    if key in cache:
        return cache[key], False
    if row.isbn:
        title = Title.objects.filter(isbn=row.isbn).order_by("pk").first()
    else:
        title = (
            Title.objects.filter(category=row.category, name_ko=row.name_ko, author=row.author)
            .order_by("pk")
            .first()
        )
    created = title is None
    if title is None:
        title = Title.objects.create(
            category=row.category,
            name_ko=row.name_ko,
            name_en=row.name_en,
            author=row.author,
            publisher=row.publisher,
            year=row.year,
            isbn=row.isbn,
        )
    cache[key] = title
    return title, created


def import_items(
    *, place: Place, upload: IO[bytes], by: Any, now: dt.datetime | None = None
) -> ImportResult:
    """Import every row of the file into `place`, or nothing (ImportRefused lists why)."""
    now = now or timezone.now()
    access.require_work_at(by, place)
    rows = parse(upload)
    result = ImportResult()
    try:
        with transaction.atomic(durable=True):
            codes = _code_generator(place)
            cache: dict[tuple[Any, ...], Title] = {}
            for row in rows:
                title, created = _title_for(row, cache)
                result.titles_created += created
                code = row.code or next(codes)
                result.items.append(
                    Item.objects.create(code=code, title=title, place=place, acquired_on=now.date())
                )
            Event.objects.create(
                action=Event.Action.STATUS,
                at=now,
                actor=by,
                place=place,
                reason="import",
                data={"items": len(result.items), "titles_created": result.titles_created},
            )
    except IntegrityError as exc:  # a code was taken between the check and the write
        raise ImportRefused(
            [(0, gettext("Another import used one of these codes just now; try again."))]
        ) from exc
    return result
