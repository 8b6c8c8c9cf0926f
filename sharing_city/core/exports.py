"""Cells of every CSV and XLSX we write: text a person typed is never a live formula.

A title or place name typed at the desk as `=HYPERLINK(...)` or `@SUM(...)` would run when
staff open the export in a spreadsheet (formula injection, OWASP "CSV injection"). Text that
starts with = + - @, a tab or a carriage return gets a leading apostrophe in CSV (the
spreadsheet shows the text) and is stored as a quoted string cell in XLSX. Numbers stay
numbers: a negative amount is data, not a formula.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value to hand to csv.writer."""
    return f"'{value}" if is_formula_like(value) else value


def xlsx_row(sheet: Any, values: list[Any]) -> None:
    """Append a row to an openpyxl sheet; formula-like text is kept as quoted text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
