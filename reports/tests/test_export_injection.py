"""Exports never carry a live formula: text a person typed stays text in CSV and XLSX."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from reports.api.views import CSVRenderer
from reports.tables import Table, as_csv, as_xlsx

TYPED = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _table() -> Table:
    rows = [[text, 3] for text in TYPED] + [["Drill =ok", -5]]
    return Table("top-titles", "Most borrowed", ["=Title", "Loans"], rows)


def test_csv_cells_that_look_like_formulas_are_escaped() -> None:
    rows = list(csv.reader(io.StringIO(as_csv(_table()), newline="")))

    assert rows[0] == ["'=Title", "Loans"]
    assert [row[0] for row in rows[1:-1]] == [f"'{text}" for text in TYPED]
    assert rows[-1] == ["Drill =ok", "-5"]  # text not starting with one, and numbers, stay


def test_xlsx_cells_that_look_like_formulas_are_text() -> None:
    sheet = load_workbook(io.BytesIO(as_xlsx(_table(), note="-note"))).active

    cells = [sheet.cell(row=r, column=1) for r in range(4, 4 + len(TYPED))]
    assert [c.value for c in cells][:-1] == TYPED[:-1]  # (XLSX keeps line ends as \n)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=4 + len(TYPED), column=2).value == -5


def test_the_api_csv_escapes_too() -> None:
    body = CSVRenderer().render([{"a": "@x", "b": "=1"}]).decode()

    assert body.strip() == "'@x,'=1"
