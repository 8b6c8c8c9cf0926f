"""Reads of the lending engine, as chainable QuerySet methods that read like adjectives."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_, or_
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Lower, Replace
from django.utils import timezone

from . import search

if TYPE_CHECKING:
    from .models import Title


class PlaceQuerySet(models.QuerySet):
    def active(self) -> PlaceQuerySet:
        return self.filter(is_active=True)


class CategoryQuerySet(models.QuerySet):
    pass


class WordSimilar(Func):
    """pg_trgm's `word <% text`: word_similarity(word, text) reaches pg_trgm's threshold;
    answered by a trigram GIN index on `text` (lending/search.py)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def _all(conditions: list[Q]) -> Q:
    return reduce(and_, conditions, Q())


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


class TitleQuerySet(models.QuerySet):
    def matching(self, words: str | search.Query) -> TitleQuerySet:
        """Titles whose names, author, ISBN or category names hold every word (part of a
        word is enough, spaces optional, English stems too), or that would if one jamo or
        letter were different (typos, `query.typos` afterwards), annotated with `rank`.

        On PostgreSQL every condition is answered by an index (lending/search.py says which).
        """
        query = words if isinstance(words, search.Query) else search.parse(words)
        if not query.words:
            return self.annotate(rank=Value(search.RANK_EXACT))
        postgres = connections[self.db].vendor == "postgresql"
        qs = self._with_grams() if postgres else self
        exact = _all([self._word(word, postgres) for word in query.words])
        query.typos = search.cached_typos(
            query, connections[self.db].vendor, lambda: qs._typos_if_few(query, postgres, exact)
        )
        typo_ids = [typo.title_id for typo in query.typos]
        found = qs.filter(exact | Q(pk__in=typo_ids)) if typo_ids else qs.filter(exact)
        return found._ranked(query, typo_ids)

    def _with_grams(self) -> TitleQuerySet:
        grams = Func(
            F("search_text"),
            function=search.GRAMS_FUNCTION,
            output_field=ArrayField(models.TextField()),
        )
        return self.alias(search_grams=grams)

    @staticmethod
    def _word(word: str, postgres: bool) -> Q:
        found = _any([Q(search_text__contains=form) for form in search.forms(word)])
        if postgres:  # the index's necessary condition first (lending/search.py)
            found = Q(search_grams__contains=search.grams(search.core(word))) & found
        return found

    def _typos_if_few(self, query: search.Query, postgres: bool, exact: Q) -> list[search.Typo]:
        """Typo matches only when the words find less than a page exactly: behind a page of
        exact matches they would only trail at the end, and looking for them is the costliest
        part of a search (100 ms and more for a two-syllable fragment on 20,000 items)."""
        enough = search.TYPOS_ONLY_BELOW
        if self.filter(exact).order_by()[:enough].count() >= enough:
            return []
        return self._typos(query, postgres)

    def _typos(self, query: search.Query, postgres: bool) -> list[search.Typo]:
        """Titles one jamo or one letter away, checked in Python (search.check_typos)."""
        if not query.may_have_typos():
            return []
        # The exact matches are left out by their LIKEs alone, and a typo is looked for with one
        # array test per word: each test evaluates the gram function again for every row the
        # planner reads (seq scan on a small catalogue, recheck on a large one).
        plain = _all([self._word(word, postgres=False) for word in query.words])
        candidates = self.exclude(plain)
        if postgres:
            near = [
                self._typo(word)
                if len(query.words) == 1
                else self._word(word, False) | self._typo(word)
                for word in query.words
            ]
            candidates = candidates.filter(_all(near))
        # Unordered: an ORDER BY lets the planner walk the popularity index and evaluate the
        # gram function on every title; the few candidates are sorted here instead.
        rows = candidates.order_by().values(
            "pk", "search_text", "name_key", "name_en", "loan_count"
        )
        if postgres:  # indexed candidates: a handful; SQLite (demo-sized) reads them all
            rows = rows[: search.TYPO_CANDIDATES]
        found = sorted(rows, key=lambda row: (-row["loan_count"], row["pk"]))
        return search.check_typos(query, found, postgres=postgres)

    @staticmethod
    def _typo(word: str) -> Q:
        """PostgreSQL: the indexed conditions a one-jamo or one-letter typo must meet."""
        if search.is_korean_word(word):
            # Per syllable: the rest of the word's grams, and one bigram a jamo neighbour of
            # the syllable makes with the next or previous one (check_typos keeps true matches).
            return _any(
                [
                    Q(search_grams__contains=rest, search_grams__overlap=around)
                    if rest
                    else Q(search_grams__overlap=around)
                    for rest, around in search.korean_typo_grams(word)
                ]
            )
        if search.is_english_word(word):
            return Q(WordSimilar(Value(word), Lower("name_en")))
        return Q(pk__in=[])

    def _ranked(self, query: search.Query, typo_ids: list[int]) -> TitleQuerySet:
        """Exact name, name prefix, in the name, author or ISBN, category only, typo."""
        whole = {query.joined, "".join(search.stem(w) for w in query.words)}
        sep = search.SEP
        people = Concat(
            F("name_key"),
            Replace(Lower("author"), Value(" "), Value("")),
            Value(sep),
            F("isbn"),
            output_field=models.TextField(),
        )
        in_name = _all(
            [_any([Q(name_key__contains=f) for f in search.forms(w)]) for w in query.words]
        )
        by_people = _all(
            [_any([Q(rank_people__contains=f) for f in search.forms(w)]) for w in query.words]
        )
        rank = Case(
            When(pk__in=typo_ids, then=Value(search.RANK_TYPO)),
            When(
                _any([Q(name_key__contains=sep + w + sep) for w in whole]),
                then=Value(search.RANK_EXACT),
            ),
            When(
                _any([Q(name_key__contains=sep + w) for w in whole]), then=Value(search.RANK_PREFIX)
            ),
            When(in_name, then=Value(search.RANK_NAME)),
            When(by_people, then=Value(search.RANK_AUTHOR)),
            default=Value(search.RANK_CATEGORY),
            output_field=models.IntegerField(),
        )
        return self.alias(rank_people=people).annotate(rank=rank)

    def by_relevance(self) -> TitleQuerySet:
        """After matching(): best match first, then the most borrowed."""
        return self.order_by("rank", "-loan_count", "name_ko", "pk")


class ItemQuerySet(models.QuerySet):
    def lendable(self) -> ItemQuerySet:
        return self.filter(status="active")

    def at_place(self, place: Any) -> ItemQuerySet:
        return self.filter(place=place)

    def free_between(
        self, start: dt.date, end_exclusive: dt.date, *, today: dt.date | None = None
    ) -> ItemQuerySet:
        """Items with no booking or loan (buffer included) touching [start, end_exclusive).

        An overdue loan is out until it is returned: its occupancy ended on the due date
        (plus buffer), but the copy is not back, so it is not free on any day from `today`
        (default: the local date). Both probes are index lookups (migration 0012)."""
        from .models import Loan, Occupancy

        today = today or timezone.localdate()
        clash = Occupancy.objects.filter(
            item=OuterRef("pk"), start__lt=end_exclusive, end__gt=start
        )
        still_out = Loan.objects.filter(
            item=OuterRef("pk"), returned_at__isnull=True, due_date__lt=today
        )
        found = self.exclude(Exists(clash))
        return found.exclude(Exists(still_out)) if end_exclusive > today else found

    def with_borrow_status(self, today: dt.date) -> ItemQuerySet:
        """Annotate `borrow_status`: on_loan, overdue, booked, available or unavailable."""
        from .models import Booking, Loan

        open_loan = Loan.objects.filter(item=OuterRef("pk"), returned_at__isnull=True)
        overdue = open_loan.filter(due_date__lt=today)
        ready = Booking.objects.filter(item=OuterRef("pk"), status="ready")
        return self.annotate(
            borrow_status=Case(
                When(~Q(status="active"), then=Value("unavailable")),
                When(Exists(overdue), then=Value("overdue")),
                When(Exists(open_loan), then=Value("on_loan")),
                When(Exists(ready), then=Value("booked")),
                default=Value("available"),
                output_field=models.CharField(),
            )
        )


class BookingQuerySet(models.QuerySet):
    def active(self) -> BookingQuerySet:
        return self.filter(status__in=["requested", "ready"])

    def ready(self) -> BookingQuerySet:
        return self.filter(status="ready")

    def queue_holds(self) -> BookingQuerySet:
        return self.filter(start_date__isnull=True)

    def dated(self) -> BookingQuerySet:
        return self.filter(start_date__isnull=False)

    def for_member(self, member: Any) -> BookingQuerySet:
        return self.filter(member=member)

    def waiting_for(self, title: Title) -> BookingQuerySet:
        """The queue of a title: holds not yet given a copy, first in line first."""
        return self.filter(title=title, status="requested", start_date__isnull=True).order_by(
            "priority", "created_at", "pk"
        )

    def uncollected(self, today: dt.date) -> BookingQuerySet:
        return self.filter(status="ready", pickup_deadline__lt=today)


class LoanQuerySet(models.QuerySet):
    def open(self) -> LoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def closed(self) -> LoanQuerySet:
        return self.filter(returned_at__isnull=False)

    def overdue(self, today: dt.date) -> LoanQuerySet:
        return self.open().filter(due_date__lt=today)

    def due_on(self, day: dt.date) -> LoanQuerySet:
        return self.open().filter(due_date=day)

    def for_member(self, member: Any) -> LoanQuerySet:
        return self.filter(member=member)

    def at_place(self, place: Any) -> LoanQuerySet:
        return self.filter(place=place)


class DepositEntryQuerySet(models.QuerySet):
    def held(self) -> Any:
        """What these cash-book lines leave held: collected less refunded and kept (one query)."""
        from decimal import Decimal

        signed = Case(
            When(kind="collected", then=F("amount")),
            default=-F("amount"),
            output_field=models.DecimalField(max_digits=14, decimal_places=0),
        )
        return self.aggregate(held=models.Sum(signed))["held"] or Decimal(0)


class OccupancyQuerySet(models.QuerySet):
    def overlapping(self, item: Any, start: dt.date, end_exclusive: dt.date) -> OccupancyQuerySet:
        return self.filter(item=item, start__lt=end_exclusive, end__gt=start)


class TipQuerySet(models.QuerySet):
    def shown(self) -> TipQuerySet:
        """Tips not hidden, most helpful first, then the newest."""
        return (
            self.filter(hidden_at__isnull=True)
            .annotate(
                helpful=models.Count("marks", filter=Q(marks__kind="helpful")),
                flags=models.Count("marks", filter=Q(marks__kind="flag")),
            )
            .select_related("author")
            .order_by("-helpful", "-created_at", "pk")
        )


class KitQuerySet(models.QuerySet):
    def published(self) -> KitQuerySet:
        return self.filter(published=True).select_related("place").prefetch_related("titles")
