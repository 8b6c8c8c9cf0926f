"""Names sorted as the reader's language sorts them.

On a Korean page a list of names is in 가나다 order of the Korean names; on an English page in
alphabetical order of the English names, letter case aside. PostgreSQL sorts with ICU collations
(``ko-x-icu``, ``en-x-icu``); SQLite, for the demo, sorts Korean by code point, which for Hangul
syllables is the same 가나다 order, and English by lower case. ``name_key`` gives Python lists the
same order.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, OrderBy
from django.db.models.functions import Collate, Lower
from django.utils.translation import get_language

ICU = {"ko": "ko-x-icu", "en": "en-x-icu"}


def reader_language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def name_order(ko_field: str = "name_ko", en_field: str = "name_en") -> list[OrderBy]:
    """``queryset.order_by(*name_order())``: by the reader's name, then by the other name."""
    language = reader_language()
    first, second = (ko_field, en_field) if language == "ko" else (en_field, ko_field)
    if connection.vendor == "postgresql":
        return [Collate(F(first), ICU[language]).asc(), Collate(F(second), ICU[language]).asc()]
    if language == "ko":
        return [F(first).asc(), Lower(second).asc()]
    return [Lower(first).asc(), F(second).asc()]


def name_key(name: str) -> tuple[str, str]:
    """A sort key for names already in the reader's language (SQLite's order above)."""
    return (name.casefold(), name)
