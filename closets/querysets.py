"""Reads of the closet that pages, services and reports share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q


class GarmentQuerySet(models.QuerySet):
    def at_place(self, place: Any) -> GarmentQuerySet:
        return self.filter(item__place=place)

    def lendable(self) -> GarmentQuerySet:
        return self.filter(care="available", item__status="active")

    def free_between(self, start: dt.date, end_exclusive: dt.date) -> GarmentQuerySet:
        """Lendable garments nobody holds (loan, booking, turnaround) in [start, end)."""
        from lending.models import Occupancy

        clash = Occupancy.objects.filter(
            item=OuterRef("item_id"), start__lt=end_exclusive, end__gt=start
        )
        return self.lendable().exclude(Exists(clash))

    def for_style(self, style: str) -> GarmentQuerySet:
        return self.filter(Q(style=style) | Q(style="unisex"))


class FittingSlotQuerySet(models.QuerySet):
    def at_place(self, place: Any) -> FittingSlotQuerySet:
        return self.filter(place=place)

    def upcoming(self, now: dt.datetime) -> FittingSlotQuerySet:
        return self.filter(starts_at__gt=now)

    def with_seats(self) -> FittingSlotQuerySet:
        return self.filter(booked__lt=models.F("capacity"))

    def on_day(self, start: dt.datetime, end: dt.datetime) -> FittingSlotQuerySet:
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class FittingVisitQuerySet(models.QuerySet):
    def holding_seat(self) -> FittingVisitQuerySet:
        return self.filter(state__in=["booked", "arrived", "measuring", "fitting"])

    def for_member(self, member: Any) -> FittingVisitQuerySet:
        return self.filter(member=member)


class CoachingSessionQuerySet(models.QuerySet):
    def open(self) -> CoachingSessionQuerySet:
        return self.filter(member__isnull=True, coach__is_active=True)

    def upcoming(self, now: dt.datetime) -> CoachingSessionQuerySet:
        return self.filter(starts_at__gt=now)


class RentalQuerySet(models.QuerySet):
    def open(self) -> RentalQuerySet:
        return self.filter(returned_at__isnull=True)

    def for_member(self, member: Any) -> RentalQuerySet:
        return self.filter(member=member)

    def in_year(self, year: int) -> RentalQuerySet:
        return self.filter(rented_at__year=year)

    def awaiting_outcome(self, today: dt.date) -> RentalQuerySet:
        """Interview passed, renter not yet asked how it went."""
        return self.filter(interview_date__lt=today, outcome="")
