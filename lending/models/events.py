"""The lending audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sharing_city.core.events import AuditEvent

from .catalogue import Item
from .circulation import Booking, Loan
from .places import Place


class Event(AuditEvent):
    """The audit trail: every check-out, check-in, booking and status change, who and why."""

    WHERE_FIELDS = ("place",)
    SUBJECT_FIELDS = ("loan", "booking", "item", "member")

    class Action(models.TextChoices):
        CHECK_OUT = "check_out", _("Checked out")
        CHECK_IN = "check_in", _("Checked in")
        RENEW = "renew", _("Renewed")
        BOOK = "book", _("Booked")
        HOLD = "hold", _("Joined the queue")
        READY = "ready", _("Ready for pickup")
        CANCEL = "cancel", _("Cancelled")
        EXPIRE = "expire", _("Expired")
        STATUS = "status", _("Status changed")
        LOST = "lost", _("Marked lost")
        BRIEFING = "briefing", _("Safety briefing recorded")
        VERIFY = "verify", _("Member verified")
        OVERRIDE = "override", _("Block overridden")
        MOVE = "move", _("Moved")
        IMPACT = "impact", _("Impact factor changed")
        DEPOSIT_COLLECTED = "deposit_collected", _("Deposit collected")
        DEPOSIT_REFUNDED = "deposit_refunded", _("Deposit refunded")
        DEPOSIT_KEPT = "deposit_kept", _("Deposit kept")
        TIP = "tip", _("Tip left")
        TIP_HIDDEN = "tip_hidden", _("Tip hidden")
        KIT_BOOKED = "kit_booked", _("Kit booked")

    action = models.CharField(max_length=20, choices=Action.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lending_events",
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    loan = models.ForeignKey(
        Loan, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
