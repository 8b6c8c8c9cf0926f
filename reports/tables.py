"""The tables of a report, shared by the page, the CSV and XLSX exports and the open data.

The public variant suppresses small counts of people (1 to 4 shows as "<5") and leaves out the
lists that name items or could single out a person.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sharing_city.core.exports import csv_cell, xlsx_row

from .figures import LendingFigures, Row

SMALL = 5
SUPPRESSED = "<5"


def people(count: int, *, public: bool) -> int | str:
    """A count of people; in public, 1 to 4 become "<5" so nobody can be singled out."""
    if public and 0 < count < SMALL:
        return SUPPRESSED
    return count


def share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@dataclass
class Table:
    key: str
    title: str | Promise
    columns: list[str | Promise]
    rows: list[list[Any]]


def summary(figures: LendingFigures, *, public: bool) -> list[tuple[str, str | Promise, Any]]:
    """(key, label, value) of each headline figure, in the order of the page."""
    return [
        ("loans", _("Loans"), figures.loans),
        ("borrowers", _("Unique borrowers"), people(figures.borrowers, public=public)),
        ("new_members", _("New members"), people(figures.new_members, public=public)),
        ("items_available", _("Items available"), figures.items_available),
        ("utilisation_pct", _("Utilisation (%)"), share(figures.utilisation)),
        ("loan_days", _("Days on loan"), figures.loan_days),
        ("item_days", _("Days available"), figures.item_days),
        ("overdue_rate_pct", _("Overdue rate (%)"), share(figures.overdue_rate)),
        (
            "average_loan_days",
            _("Average loan length (days)"),
            None if figures.average_loan_days is None else round(figures.average_loan_days, 1),
        ),
        ("renewals", _("Renewals"), figures.renewals),
        ("bookings_not_collected", _("Bookings not collected"), figures.bookings_not_collected),
        ("repairs", _("Check-ins needing repair"), figures.repairs),
        ("items_never_borrowed", _("Items never borrowed in the range"), figures.never_borrowed),
        ("money_saved_krw", _("Money saved by residents (estimate, KRW)"), figures.money_saved),
        ("co2_avoided_kg", _("CO₂ avoided (estimate, kg)"), figures.co2_kg),
    ]


def _breakdown(rows: list[Row], *, public: bool) -> list[list[Any]]:
    return [
        [
            r.label,
            r.loans,
            people(r.borrowers, public=public),
            r.loan_days,
            r.item_days,
            share(r.utilisation),
            r.renewals,
            r.overdue,
        ]
        for r in rows
    ]


BREAKDOWN_COLUMNS: list[str | Promise] = [
    _("Loans"),
    _("Unique borrowers"),
    _("Days on loan"),
    _("Days available"),
    _("Utilisation (%)"),
    _("Renewals"),
    _("Overdue"),
]


def tables(
    figures: LendingFigures, *, public: bool, programmes: list[Any] | None = None
) -> dict[str, Table]:
    found = {
        "summary": Table(
            "summary",
            _("Headline figures"),
            [_("Figure"), _("Value")],
            [[label, value] for _key, label, value in summary(figures, public=public)],
        ),
        "places": Table(
            "places",
            _("Per place"),
            [_("Place"), *BREAKDOWN_COLUMNS],
            _breakdown(figures.places, public=public),
        ),
        "categories": Table(
            "categories",
            _("Per category"),
            [_("Category"), *BREAKDOWN_COLUMNS],
            _breakdown(figures.categories, public=public),
        ),
        "months": Table(
            "months",
            _("Month by month"),
            [_("Month"), _("Loans"), _("Unique borrowers"), _("Renewals"), _("Overdue")],
            [
                [r.label, r.loans, people(r.borrowers, public=public), r.renewals, r.overdue]
                for r in figures.months
            ],
        ),
    }
    if programmes:
        found["programmes"] = Table(
            "programmes",
            _("Desk, Open Closet and home-share"),
            [_("Programme"), _("Figure"), _("Value")],
            [
                [p.title, label, people(value, public=public) if is_people else value]
                for p in programmes
                if p.available
                for _key, label, value, is_people in p.figures
            ],
        )
    if not public:
        found["top-titles"] = Table(
            "top-titles",
            _("Most borrowed"),
            [_("Title"), _("Loans")],
            [[name, count] for name, count in figures.top_titles],
        )
        found["never-borrowed"] = Table(
            "never-borrowed",
            _("Items never borrowed in the range (first 20)"),
            [_("Code"), _("Title")],
            [list(row) for row in figures.never_borrowed_sample],
        )
    return found


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(str(c)) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(_cell(v)) for v in row])
    return out.getvalue()


def as_xlsx(table: Table, *, note: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.key[:31]
    xlsx_row(sheet, [str(table.title)])
    xlsx_row(sheet, [note])
    xlsx_row(sheet, [str(c) for c in table.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_row(sheet, [_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
