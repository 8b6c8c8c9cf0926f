"""Catalogue word search that forgives how a word was typed, Korean first.

What a title is found by, and how each case is served from an index on PostgreSQL:

- **Keys.** `Title.search_text` holds every searchable form of a title as "|"-separated
  segments with the spaces taken out: the Korean and English names, the initial consonants of
  the Korean name (초성), the English name's word stems, the author, the ISBN and the category
  names (and their stems). `Title.name_key` holds the name segments only (ranking, typos).
  Taking the spaces out makes them optional both ways: "캠핑의자" finds "캠핑 의자", and the
  words of "전동 드릴" are each found inside "충전식전동드릴18v".
- **Words: `title_search_grams`** (migration 0004), a GIN index over the one- and
  two-character grams of `search_text`. PostgreSQL's full-text parsers do not split Korean, and a
  trigram needs three characters, so "드릴" could never use a trigram index; every substring
  of two or more characters contains all of its own bigrams, so "the grams contain the word's
  grams" (`@>`) is a necessary condition the index answers, and `LIKE` keeps the real
  matches. Initial consonants ("ㅈㄷㄷㄹ") and stems ("letters" → "letter") are segments of the
  same text, so they use the same index.
- **One-jamo typos: the same index.** One wrong jamo changes one syllable. For each syllable of
  the word the title must contain the grams of the rest of the word (`@>`) and one of the
  bigrams that the syllable's jamo neighbours (hgtk) form with the next or previous syllable
  (`&&`, also answered by the GIN index): "전둥드릴" looks for "드릴" and "동드".
- **English one-letter typos: `title_name_en_lower_trgm`** (migration 0011), a pg_trgm GIN
  index on `lower(name_en)`; `word <% lower(name_en)` (word similarity, pg_trgm's threshold
  0.6) finds the candidates. Every typo candidate is then checked here in Python (one jamo or
  one letter apart, transpositions included), so PostgreSQL and SQLite give the same
  answers. On SQLite, with no such indexes, every title is a candidate and the same word
  similarity is computed in Python (`word_similarity`): fine for a demo-sized catalogue.
- **Ranking** (`rank`): exact name, name prefix, a fragment of the name, author or ISBN,
  category name only, then typo matches; ties go to the most borrowed. It is computed for the
  matching titles only, from `name_key`.
- **Typo matches are looked for only when the words find less than a page exactly**
  (TYPOS_ONLY_BELOW, one indexed count), as search engines suggest corrections only for thin
  results, and they are cached (`cached_typos`): the one-jamo candidates are the costliest part
  of a Korean search (a GIN `&&` over a hundred neighbour bigrams per syllable, 10-30 ms), and
  they depend only on the titles' text. They are kept per word list and titles version, which
  saving or deleting a title (and `refresh`) drops; a bulk `update()` shows within
  TYPO_CACHE_SECONDS.
- **Availability** has its own indexes: open loans by (item, due date) (migration 0012; an
  overdue loan keeps its copy out until it is returned), occupancies by (item, start, end).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import hgtk
import snowballstemmer
from django.core.cache import cache
from django.db import connection
from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    from .models import Category, Title

GRAMS_FUNCTION = "lending_search_grams"
ISBN_LIKE = re.compile(r"^[0-9][0-9-]*[0-9xX]$")
ENGLISH_WORD = re.compile(r"^[a-z]+$")
SEP = "|"
MIN_TYPO_LETTERS = 4  # shorter English words have too many one-letter neighbours
MIN_TYPO_SYLLABLES = 2
TRIGRAM_THRESHOLD = 0.6  # pg_trgm.word_similarity_threshold's default
TYPO_CANDIDATES = 200  # typo candidates checked per search, most borrowed first
TYPOS_ONLY_BELOW = 20  # exact matches (a page): with as many, typo matches are not looked for
TYPO_CACHE_PREFIX = "lending:typos:v1:"
TYPO_CACHE_SECONDS = 300

RANK_EXACT, RANK_PREFIX, RANK_NAME, RANK_AUTHOR, RANK_CATEGORY, RANK_TYPO = range(1, 7)

_stemmer = snowballstemmer.stemmer("english")


# --- normalising text ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC (full-width letters, compatibility jamo), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def compact(text: str) -> str:
    return normalise(text).replace(" ", "").replace(SEP, "")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The English stem of a lower-case word ("drills" → "drill"); other words unchanged."""
    return _stemmer.stemWord(word) if ENGLISH_WORD.match(word) else word


def stems(text: str) -> str:
    return "".join(stem(w) for w in re.split(r"[^0-9a-z가-힣]+", normalise(text)) if w)


def initials(text: str) -> str:
    """The initial consonant of each Hangul syllable, other characters kept: "A형 사다리" →
    "aㅎㅅㄷㄹ" (normalised, so in the same form as a typed query)."""
    out = []
    for char in compact(text):
        out.append(hgtk.letter.decompose(char)[0] if hgtk.checker.is_hangul(char) else char)
    return compact("".join(out))


def _key(segments: Iterable[str]) -> str:
    unique = list(dict.fromkeys(s for s in segments if s))
    return SEP + SEP.join(unique) + SEP if unique else ""


def name_segments(name_ko: str, name_en: str) -> list[str]:
    return [compact(name_ko), compact(name_en), initials(name_ko), stems(name_en)]


def name_key_of(title: Any) -> str:
    return _key(name_segments(title.name_ko, title.name_en))


def category_names(category: Category) -> list[str]:
    """The category's names and its ancestors' ("공구" finds a drill filed under drills)."""
    names, seen = [], set()
    node: Category | None = category
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names += [node.name_ko, node.name_en]
        node = node.parent
    return names


def text_of(title: Any, categories: Iterable[str] = ()) -> str:
    """Every searchable form of the title (module docstring), for `search_text`."""
    segments = name_segments(title.name_ko, title.name_en)
    segments += [compact(title.author or ""), compact(title.isbn or "")]
    for name in categories:
        segments += [compact(name), stems(name)]
    return _key(segments)


def fill(title: Any, categories: Iterable[str]) -> None:
    title.search_text = text_of(title, categories)
    title.name_key = name_key_of(title)


def refresh(
    titles: Iterable[Title], batch: int = 1000, *, models: tuple[Any, Any] | None = None
) -> int:
    """Recompute `search_text` and `name_key` of titles written without save() (bulk_create,
    COPY, updates). `models` is (Category, Title) for a migration's historical models."""
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
        before = (title.search_text, title.name_key)
        fill(title, names.get(title.category_id, []))
        if (title.search_text, title.name_key) != before:
            changed.append(title)
        if len(changed) >= batch:
            count += title_model.objects.bulk_update(changed, ["search_text", "name_key"])
            changed = []
    if changed:
        count += title_model.objects.bulk_update(changed, ["search_text", "name_key"])
    forget_titles()
    return count


# --- cached typo matches -----------------------------------------------------------------------


def titles_version() -> str:
    """A token that changes whenever a title's searchable text may have changed."""
    return str(cache.get_or_set(TYPO_CACHE_PREFIX + "version", lambda: uuid.uuid4().hex[:12], None))


def forget_titles(**_kwargs: Any) -> None:
    """Signal receiver (a title saved or deleted) and the end of `refresh`."""
    cache.delete(TYPO_CACHE_PREFIX + "version")


def cached_typos(query: Query, vendor: str, find: Callable[[], list[Typo]]) -> list[Typo]:
    """`find()`'s typo matches for these words, computed once per titles version."""
    words = hashlib.blake2b("\x1f".join(query.words).encode(), digest_size=16).hexdigest()
    key = f"{TYPO_CACHE_PREFIX}{titles_version()}:{vendor}:{words}"
    found: list[Typo] = cache.get_or_set(key, find, TYPO_CACHE_SECONDS) or []
    return found


# --- reading a query ---------------------------------------------------------------------------


def query_words(words: str, limit: int = 8) -> list[str]:
    """The words of a search box, normalised; an ISBN typed with dashes loses them."""
    found = []
    for word in normalise(words).replace(SEP, " ").split()[:limit]:
        found.append(word.replace("-", "") if ISBN_LIKE.match(word) else word)
    return found


def grams(word: str) -> list[str]:
    """What the title's gram array must contain for `word` to be a substring of its text."""
    if len(word) == 1:
        return [word]
    return sorted({word[i : i + 2] for i in range(len(word) - 1)})


def forms(word: str) -> list[str]:
    """The word as typed and its stem ("letters", "letter"): either may appear."""
    stemmed = stem(word)
    return [word] if stemmed == word else [word, stemmed]


def common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def core(word: str) -> str:
    """The part every form of the word shares: its grams are necessary for any of them."""
    shared = word
    for other in forms(word):
        shared = common_prefix(shared, other)
    return shared or word


# --- one-jamo and one-letter typos -------------------------------------------------------------


@lru_cache(maxsize=4096)
def neighbours(syllable: str) -> tuple[str, ...]:
    """The syllables one jamo away (initial, vowel or final consonant changed, added or
    dropped): "동" → "둥", "돈", "도", "통", …"""
    cho, jung, jong = hgtk.letter.decompose(syllable)
    found = {hgtk.letter.compose(c, jung, jong) for c in hgtk.letter.CHO}
    found |= {hgtk.letter.compose(cho, v, jong) for v in hgtk.letter.JOONG}
    found |= {hgtk.letter.compose(cho, jung, f) for f in hgtk.letter.JONG}
    found.discard(syllable)
    return tuple(sorted(found))


def is_korean_word(word: str) -> bool:
    syllables = sum(1 for c in word if hgtk.checker.is_hangul(c))
    return syllables >= MIN_TYPO_SYLLABLES


def is_english_word(word: str) -> bool:
    return bool(ENGLISH_WORD.match(word)) and len(word) >= MIN_TYPO_LETTERS


def korean_variants(word: str) -> list[tuple[int, str]]:
    """(position, word with that syllable replaced by a jamo neighbour), every one of them."""
    found = []
    for i, char in enumerate(word):
        if hgtk.checker.is_hangul(char):
            found += [(i, word[:i] + other + word[i + 1 :]) for other in neighbours(char)]
    return found


def korean_typo_grams(word: str) -> list[tuple[list[str], list[str]]]:
    """Per syllable: (grams the rest of the word must have, bigrams one of which it must
    have): the index conditions of a one-jamo typo at that syllable."""
    conditions = []
    for i, char in enumerate(word):
        if not hgtk.checker.is_hangul(char):
            continue
        rest = set(grams(word[:i]) if i else []) | set(
            grams(word[i + 1 :]) if word[i + 1 :] else []
        )
        around = set()
        for other in neighbours(char):
            if i:
                around.add(word[i - 1] + other)
            if i + 1 < len(word):
                around.add(other + word[i + 1])
        conditions.append((sorted(rest), sorted(around)))
    return conditions


def fix_korean(word: str, key: str) -> str | None:
    for _i, variant in korean_variants(word):
        if variant in key:
            return variant
    return None


def fix_english(word: str, name_en: str) -> str | None:
    """The word of the English name one letter from `word` (or whose start is)."""
    for typed in forms(word):
        for candidate in normalise(name_en).split():
            candidate = candidate.strip(".,:;()'\"")
            if OSA.distance(typed, candidate, score_cutoff=1) <= 1:
                return candidate
            if len(candidate) > len(typed) and OSA.distance(typed, candidate[: len(typed)]) <= 1:
                return candidate
    return None


def _trigrams(text: str) -> list[str]:
    """pg_trgm's trigrams in order, word by word ("  w", " wo", "wor", "ord", "rd ")."""
    return [
        f"  {w} "[i : i + 3] for w in re.findall(r"\w+", text.lower()) for i in range(len(w) + 1)
    ]


def word_similarity(word: str, text: str) -> float:
    """pg_trgm's word_similarity(word, text), for SQLite: the best similarity between the
    word's trigrams and those of any continuous extent of the text's ordered trigrams."""
    wanted = set(_trigrams(word))
    ordered = _trigrams(text)
    best = 0.0
    for start in range(len(ordered)):
        seen: set[str] = set()
        for trigram in ordered[start:]:
            seen.add(trigram)
            common = len(wanted & seen)
            if common:
                best = max(best, common / (len(wanted) + len(seen) - common))
    return best


# --- the query ---------------------------------------------------------------------------------


@dataclass
class Typo:
    title_id: int
    suggestion: str
    loan_count: int


@dataclass
class Query:
    """A search box's words, turned into database conditions (`Search.apply`)."""

    words: list[str]
    typos: list[Typo] = field(default_factory=list)

    @property
    def joined(self) -> str:
        return "".join(self.words)

    @property
    def suggestion(self) -> str:
        """ "Did you mean …": the most borrowed typo match's reading of the words."""
        return max(self.typos, key=lambda t: t.loan_count).suggestion if self.typos else ""

    def may_have_typos(self) -> bool:
        return any(is_korean_word(w) or is_english_word(w) for w in self.words)

    def correct(self, row: dict[str, Any]) -> str | None:
        """The words as this title reads them when one or more is a typo, else None."""
        corrected, typo = [], False
        for word in self.words:
            if any(f in row["search_text"] for f in forms(word)):
                corrected.append(word)
                continue
            fixed = None
            if is_korean_word(word):
                fixed = fix_korean(word, row["name_key"])
            elif is_english_word(word):
                fixed = fix_english(word, row["name_en"])
            if fixed is None:
                return None
            corrected.append(fixed)
            typo = True
        return " ".join(corrected) if typo else None


def parse(words: str) -> Query:
    return Query(query_words(words))


def is_postgres(using: str | None = None) -> bool:
    from django.db import connections

    return (connections[using] if using else connection).vendor == "postgresql"


def check_typos(query: Query, rows: Sequence[dict[str, Any]], *, postgres: bool) -> list[Typo]:
    """Keep the candidates that really are one jamo or letter off (the same rule on both
    databases; SQLite also applies pg_trgm's word similarity to English words here)."""
    found = []
    for row in rows:
        if not postgres and not _trigram_ok(query, row):
            continue
        corrected = query.correct(row)
        if corrected is not None:
            found.append(Typo(row["pk"], corrected, row["loan_count"]))
    return found


def _trigram_ok(query: Query, row: dict[str, Any]) -> bool:
    for word in query.words:
        if any(f in row["search_text"] for f in forms(word)) or not is_english_word(word):
            continue
        if word_similarity(word, row["name_en"]) < TRIGRAM_THRESHOLD:
            return False
    return True


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
