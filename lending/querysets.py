"""Reads of the lending engine, as chainable QuerySet methods that read like adjectives."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When

from . import search

if TYPE_CHECKING:
    from .models import Title


class PlaceQuerySet(models.QuerySet):
    def active(self) -> PlaceQuerySet:
        return self.filter(is_active=True)

    def in_district(self, district: Any) -> PlaceQuerySet:
        return self.filter(district=district)


class CategoryQuerySet(models.QuerySet):
    def roots(self) -> CategoryQuerySet:
        return self.filter(parent__isnull=True)


class TitleQuerySet(models.QuerySet):
    def matching(self, words: str) -> TitleQuerySet:
        """Every word must appear in a Korean or English name, the author, the ISBN or a
        category name: a substring match, so "드릴" finds "전동드릴" and "dril" finds "drill".

        On PostgreSQL the words' grams are looked up in the GIN index of migration 0004
        first (lending/search.py says why), then the exact substring test keeps true matches.
        """
        found = search.query_words(words)
        qs = self
        for word in found:
            qs = qs.filter(search_text__contains=word)
        if found and connections[self.db].vendor == "postgresql":
            wanted = sorted({g for word in found for g in search.grams(word)})
            grams = Func(
                F("search_text"),
                function=search.GRAMS_FUNCTION,
                output_field=ArrayField(models.TextField()),
            )
            qs = qs.alias(search_grams=grams).filter(search_grams__contains=wanted)
        return qs


class ItemQuerySet(models.QuerySet):
    def lendable(self) -> ItemQuerySet:
        return self.filter(status="active")

    def at_place(self, place: Any) -> ItemQuerySet:
        return self.filter(place=place)

    def free_between(self, start: dt.date, end_exclusive: dt.date) -> ItemQuerySet:
        """Items with no booking or loan (buffer included) touching [start, end_exclusive)."""
        from .models import Occupancy

        clash = Occupancy.objects.filter(
            item=OuterRef("pk"), start__lt=end_exclusive, end__gt=start
        )
        return self.exclude(Exists(clash))

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


class OccupancyQuerySet(models.QuerySet):
    def overlapping(self, item: Any, start: dt.date, end_exclusive: dt.date) -> OccupancyQuerySet:
        return self.filter(item=item, start__lt=end_exclusive, end__gt=start)
