"""The desk's own records: repair tickets and transfers between places.

Items, loans and bookings belong to the lending engine; these rows say why an item is out of
lending (a repair) or on its way to another place (a transfer), and who handled it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lending.models import Item, Place
from sharing_city.core import bounds
from sharing_city.core.events import AuditEvent

from . import querysets


class RepairTicket(models.Model):
    """One problem with one item: open -> repairing -> resolved | retired.

    While any ticket of an item is open or repairing, the item is in maintenance.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REPAIRING = "repairing", _("Being repaired")
        RESOLVED = "resolved", _("Resolved")
        RETIRED = "retired", _("Item retired")

    OPEN_STATUSES = (Status.OPEN, Status.REPAIRING)

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="repair_tickets")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="repair_tickets")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Problem(models.TextChoices):  # the check-in conditions that open a ticket
        NEEDS_CLEANING = "needs_cleaning", _("Needs cleaning")
        NEEDS_REPAIR = "needs_repair", _("Needs repair")
        DAMAGED = "damaged", _("Damaged")
        PARTS_MISSING = "parts_missing", _("Parts missing")

    problem = models.CharField(_("problem"), max_length=40, blank=True, choices=Problem.choices)
    note = models.TextField(_("note"), blank=True)
    # The check-in whose damage opened the ticket: opening it again for that loan is a no-op.
    loan_id_reported = models.BigIntegerField(null=True, blank=True, unique=True)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(_("what was done"), blank=True)

    objects = querysets.RepairTicketQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at", "pk"]
        indexes = [models.Index(fields=["place", "status"])]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")

    @property
    def is_cleaning(self) -> bool:
        """Cleaning: a short hold out of lending; the item keeps its bookings."""
        return self.problem == self.Problem.NEEDS_CLEANING

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Transfer(models.Model):
    """An item moving to another place: requested -> in transit -> arrived (or cancelled)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_TRANSIT = "in_transit", _("In transit")
        ARRIVED = "arrived", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transfers")
    from_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    to_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = querysets.TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One transfer under way per item: two desks cannot send it to two places.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["requested", "in_transit"]),
                name="transfer_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=~Q(from_place=models.F("to_place")), name="transfer_changes_place"
            ),
        ]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")


class CloseOut(models.Model):
    """A place's cash count at the end of a day: what the cash book says is held, what the
    volunteer counted, and a second volunteer's check. One per place and day."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="close_outs")
    day = models.DateField(_("day"))
    expected = models.DecimalField(_("held by the cash book"), max_digits=12, decimal_places=0)
    counted = models.DecimalField(_("counted"), max_digits=12, decimal_places=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day"], name="close_out_one_per_place_day"),
            # The second pair of eyes is someone else's.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=models.F("closed_by")),
                name="close_out_checked_by_another",
                violation_error_message=_("The close-out must be checked by another volunteer."),
            ),
            bounds.MONEY.constraint("counted", name="close_out_counted_range"),
        ]
        verbose_name = _("close-out")
        verbose_name_plural = _("close-outs")

    @property
    def difference(self) -> Any:
        return self.counted - self.expected


class DeskEvent(AuditEvent):
    """The desk's audit trail: each repair ticket's and transfer's status change, who and when.

    (The item's own status changes are lending's events; these say why, from the desk.)"""

    WHERE_FIELDS = ("place",)
    SUBJECT_FIELDS = ("ticket", "transfer", "close_out", "item")

    place = models.ForeignKey(Place, null=True, on_delete=models.SET_NULL, related_name="+")
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL, related_name="+")
    ticket = models.ForeignKey(
        RepairTicket, null=True, on_delete=models.SET_NULL, related_name="events"
    )
    transfer = models.ForeignKey(
        Transfer, null=True, on_delete=models.SET_NULL, related_name="events"
    )
    close_out = models.ForeignKey(
        CloseOut, null=True, on_delete=models.SET_NULL, related_name="events"
    )
