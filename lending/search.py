"""Catalogue word search: one normalised text per title, served on PostgreSQL by a GIN index of
its one- and two-character grams.

Why not full-text search or pg_trgm alone: PostgreSQL's parsers do not split Korean words, and a
trigram needs three characters, so "드릴" (drill) or "텐트" (tent) could never use a trigram index.
Every substring of two or more characters contains all of its own bigrams, so "the title's grams
contain the word's grams" (GIN, `@>`) is a necessary condition that the index answers; the exact
`LIKE` on the same text then keeps only real substring matches. The gram function lives in the
database (migration 0004) so rows loaded with COPY are indexed too; SQLite uses the `LIKE` alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from .models import Category, Title

GRAMS_FUNCTION = "lending_search_grams"
ISBN_LIKE = re.compile(r"^[0-9][0-9-]*[0-9xX]$")


def normalise(text: str) -> str:
    """NFKC (full-width letters, compatibility jamo), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def query_words(words: str, limit: int = 8) -> list[str]:
    """The words of a search box, normalised; an ISBN typed with dashes loses them."""
    found = []
    for word in normalise(words).split()[:limit]:
        found.append(word.replace("-", "") if ISBN_LIKE.match(word) else word)
    return found


def grams(word: str) -> list[str]:
    """What the title's gram array must contain for `word` to be a substring of its text."""
    if len(word) == 1:
        return [word]
    return sorted({word[i : i + 2] for i in range(len(word) - 1)})


def category_names(category: Category) -> list[str]:
    """The category's names and its ancestors' ("공구" finds a drill filed under drills)."""
    names, seen = [], set()
    node: Category | None = category
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names += [node.name_ko, node.name_en]
        node = node.parent
    return names


def text_of(title: Title, categories: Iterable[str] = ()) -> str:
    parts = [title.name_ko, title.name_en, title.author, title.isbn, *categories]
    return normalise(" ".join(p for p in parts if p))


def refresh(
    titles: Iterable[Title], batch: int = 1000, *, models: tuple[Any, Any] | None = None
) -> int:
    """Recompute `search_text` of titles written without save() (bulk_create, COPY, updates).

    `models` is (Category, Title) for a migration's historical models."""
    from . import models as app_models

    category_model, title_model = models or (app_models.Category, app_models.Title)
    categories: Any = category_model._default_manager
    by_pk: dict[int, Any] = {c.pk: c for c in categories.all()}
    for category in by_pk.values():
        category.parent = by_pk.get(category.parent_id)
    names = {pk: category_names(c) for pk, c in by_pk.items()}
    changed: list[Title] = []
    count = 0
    for title in titles:
        text = text_of(title, names.get(title.category_id, []))
        if text != title.search_text:
            title.search_text = text
            changed.append(title)
        if len(changed) >= batch:
            count += title_model.objects.bulk_update(changed, ["search_text"])
            changed = []
    if changed:
        count += title_model.objects.bulk_update(changed, ["search_text"])
    return count


# Set-based: one grouped pass over the loans (hash joins), not a correlated count per title
# (that took minutes at 500,000 loans). The outer joins give titles without loans a 0 too.
LOAN_COUNTS_SQL = """
UPDATE lending_title SET loan_count = counted.n
FROM (
  SELECT title.id AS title_id, COUNT(loan.id) AS n
  FROM lending_title AS title
  LEFT JOIN lending_item AS item ON item.title_id = title.id
  LEFT JOIN lending_loan AS loan ON loan.item_id = item.id
  GROUP BY title.id
) AS counted
WHERE lending_title.id = counted.title_id AND lending_title.loan_count <> counted.n
"""


def refresh_loan_counts(schema_editor: Any = None) -> int:
    """Recount every title's `loan_count` from its loans (after loans loaded without check_out);
    returns how many titles had a different count."""
    if schema_editor is not None:
        schema_editor.execute(LOAN_COUNTS_SQL)
        return 0
    with connection.cursor() as cursor:
        cursor.execute(LOAN_COUNTS_SQL)
        return cursor.rowcount


GRAMS_SQL = """
CREATE OR REPLACE FUNCTION lending_search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
  FROM (
    SELECT substr(t, i, 1) AS g FROM generate_series(1, length(t)) AS i
    UNION ALL
    SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
  ) AS grams
  WHERE position(' ' IN g) = 0
$$
"""
