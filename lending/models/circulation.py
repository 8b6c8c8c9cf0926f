"""Bookings and loans, and the periods they hold an item for.

Invariants kept by the database (see migrations/0002 for the PostgreSQL-only parts):
- an item has at most one open loan (partial unique constraint);
- the periods an item is spoken for (Occupancy rows of bookings and open loans, turnaround
  buffer included) never overlap (exclusion constraint on PostgreSQL; on SQLite the services'
  transactions are serialised by BEGIN IMMEDIATE and check overlap before writing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import querysets
from .catalogue import Item, Title
from .places import Place


class Booking(models.Model):
    """A resident's claim on an item: dated (start..end) or a place in the hold queue of a title.

    requested -> ready (set aside, pickup deadline) -> collected (a loan) | cancelled | expired.
    A queue hold has no item and no dates until a copy comes back for it.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        READY = "ready", _("Ready for pickup")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.REQUESTED, Status.READY)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="bookings")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    pickup_deadline = models.DateField(_("collect by"), null=True, blank=True)
    # Staff may move someone up the queue; lower comes first, then the oldest.
    priority = models.SmallIntegerField(default=0)
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = querysets.BookingQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "created_at", "pk"]
        indexes = [
            models.Index(fields=["title", "status"]),
            models.Index(fields=["member", "status"]),
            models.Index(fields=["status", "pickup_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True)
                | Q(
                    start_date__isnull=False,
                    end_date__isnull=False,
                    start_date__lte=models.F("end_date"),
                ),
                name="booking_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(item__isnull=False, pickup_deadline__isnull=False),
                name="booking_ready_has_item",
            ),
        ]

    @property
    def is_queue_hold(self) -> bool:
        return self.start_date is None

    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Loan(models.Model):
    """An item in a member's hands, from check-out to check-in."""

    class Outcome(models.TextChoices):
        RETURNED = "returned", _("Returned")
        DAMAGED = "damaged", _("Returned damaged")
        LOST = "lost", _("Lost")

    class ReturnCondition(models.TextChoices):
        OK = "ok", _("OK")
        NEEDS_CLEANING = "needs_cleaning", _("Needs cleaning")
        NEEDS_REPAIR = "needs_repair", _("Needs repair")
        DAMAGED = "damaged", _("Damaged")
        PARTS_MISSING = "parts_missing", _("Parts missing")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="loans")
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="loan"
    )
    checked_out_at = models.DateTimeField(_("checked out"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_condition = models.CharField(max_length=20, choices=ReturnCondition.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    fee = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))
    deposit = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))

    objects = querysets.LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_out_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "returned_at"]),
            models.Index(
                fields=["due_date"], condition=Q(returned_at__isnull=True), name="loan_open_due_idx"
            ),
            # Desks and reports: a place's loans by check-out time. Reports read the borrower
            # and item of a range's loans from the index alone (distinct borrowers, top titles).
            models.Index(
                fields=["place", "checked_out_at"],
                include=["member", "item"],
                name="loan_place_out_idx",
            ),
            # Reports: loans from before a range still out at its start (open, or returned
            # after it), without reading each place's whole history.
            models.Index(fields=["place", "returned_at"], name="loan_place_returned_idx"),
            # Reports' rollup refresh: the ids of the open loans, read from the index alone (which
            # loans recorded as open were returned since).
            models.Index(
                fields=["id"], condition=Q(returned_at__isnull=True), name="loan_open_idx"
            ),
            # "Available now" / "free between dates": is the copy still out, and overdue (out
            # until it is returned)? An index-only probe per copy (lending/search.py).
            models.Index(
                fields=["item", "due_date"],
                condition=Q(returned_at__isnull=True),
                name="loan_open_item_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_at__isnull=True),
                name="loan_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("checked_out_at")),
                name="loan_returned_after_checkout",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and today > self.due_date

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.due_date).days) if self.is_open else 0


class Occupancy(models.Model):
    """The days an item is spoken for, [start, end) with the turnaround buffer included.

    One row per active dated booking, ready hold, or open loan. Rows of one item never overlap:
    PostgreSQL enforces it with an exclusion constraint (migration 0002).
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="occupancies")
    start = models.DateField()
    end = models.DateField()  # exclusive
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="occupancy"
    )
    loan = models.OneToOneField(
        Loan, null=True, blank=True, on_delete=models.CASCADE, related_name="occupancy"
    )

    objects = querysets.OccupancyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["item", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="occupancy_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, loan__isnull=True)
                | Q(booking__isnull=True, loan__isnull=False),
                name="occupancy_booking_xor_loan",
            ),
        ]
