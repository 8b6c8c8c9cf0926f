"""What a loan saves: the per-category factors behind the money and CO2 figures."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import Category


class ImpactFactor(models.Model):
    """How much one loan in a category is estimated to save a resident, and the CO₂ it avoids.

    Money saved per loan is either a share of the title's replacement value (a resident who
    borrows instead of buying saves part of the price) or a fixed amount; staff edit both. A
    category without a factor uses its nearest parent's. The figures are estimates.
    """

    class Basis(models.TextChoices):
        SHARE = "share", _("Share of the replacement value")
        FIXED = "fixed", _("Fixed amount per loan")

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="impact_factor"
    )
    basis = models.CharField(
        _("money saved is"), max_length=10, choices=Basis.choices, default=Basis.SHARE
    )
    money_share = models.DecimalField(
        _("share of the replacement value per loan"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0.1 means a loan saves a tenth of what buying one would cost."),
    )
    money_fixed = models.DecimalField(
        _("fixed amount per loan (KRW)"),
        max_digits=10,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    co2_kg = models.DecimalField(
        _("CO₂ avoided per loan (kg)"),
        max_digits=8,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["category__slug"]
        verbose_name = _("impact factor")
        verbose_name_plural = _("impact factors")
        constraints = [
            models.CheckConstraint(
                condition=Q(money_share__gte=0, money_share__lte=1), name="impact_share_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(money_fixed__gte=0, co2_kg__gte=0), name="impact_not_negative"
            ),
        ]

    def money_per_loan(self, replacement_value: Decimal) -> Decimal:
        return self.money_for(1, replacement_value)

    def money_for(self, loans: int, replacement_values: Decimal) -> Decimal:
        """Money saved by `loans` loans whose titles' replacement values add up as given."""
        if self.basis == self.Basis.FIXED:
            return self.money_fixed * loans
        return self.money_share * replacement_values
