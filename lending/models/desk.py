"""What the desk records about a member and a loan: ID seen, briefings, deposits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sharing_city.core import bounds

from .. import querysets
from .catalogue import Category
from .circulation import Loan
from .places import Place


class IdDocument(models.TextChoices):
    """The identity documents a desk may check before marking a member verified."""

    RESIDENT_CARD = "resident_card", _("Resident registration card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_CARD = "residence_card", _("Residence card (foreign resident)")
    MOBILE_ID = "mobile_id", _("Mobile ID")


class Briefing(models.Model):
    """A volunteer briefed a member on the safe use of a category's items."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefings"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="briefings")
    briefed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.ForeignKey(Place, null=True, on_delete=models.SET_NULL, related_name="+")
    briefed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "category"], name="briefing_once_per_category"
            )
        ]


class DepositEntry(models.Model):
    """One line of a place's cash book: a loan's deposit taken at check-out, and at check-in
    given back, kept in part (for damage, with the reason) or both. Lost items keep it all.
    A loan has at most one line of each kind, and the service keeps refunded + kept within
    what was collected (under the item's lock)."""

    class Kind(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        REFUNDED = "refunded", _("Refunded")
        KEPT = "kept", _("Kept")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="deposit_entries")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="deposit_entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deposit_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = querysets.DepositEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["place", "at"], name="deposit_place_at_idx")]
        constraints = [
            models.UniqueConstraint(fields=["loan", "kind"], name="deposit_one_entry_per_kind"),
            bounds.DEPOSIT.constraint("amount", name="deposit_amount_in_range"),
            models.CheckConstraint(
                condition=Q(kind__in=["collected", "refunded", "kept"]), name="deposit_kind_known"
            ),
        ]
