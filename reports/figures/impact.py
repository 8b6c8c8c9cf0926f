"""Money saved and CO₂ avoided (estimates): per loan by its category's factor, and a closet
rental once (outfit_saving)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count

from closets.models import RentalGarment
from lending.services import impact_factors_for

from .common import LendingFigures


def count_impact(figures: LendingFigures, inside: Any) -> None:
    """Money saved and CO₂ avoided: loans counted per category and replacement value."""
    groups = list(
        inside.values_list("item__title__category_id", "item__title__replacement_value")
        .annotate(n=Count("pk"))
        .values_list("item__title__category_id", "item__title__replacement_value", "n")
    )
    totals = [(category, n, value * n) for category, value, n in groups]
    add_impact(figures, totals, outfit_garments(inside))


def outfit_garments(loans: Any) -> list[tuple[int, int, Decimal]]:
    """(rental, category, replacement value) of each of `loans` that is a garment of a closet
    rental, in one query (its rows are the closet's loans of the range, not all loans)."""
    lines = RentalGarment.objects.filter(loan_id__in=loans.values("pk")).order_by()
    return list(
        lines.values_list(
            "rental_id", "loan__item__title__category_id", "loan__item__title__replacement_value"
        )
    )


def outfit_saving(garments: list[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """What one closet rental saves, from its garments' (money, CO₂) as ordinary loans.

    A rental saves once: the largest of its garments' money savings (the main piece, a suit
    jacket or a dress, that the job seeker would otherwise have bought; the shirt and tie
    would not have been bought as well) and, on its own, the largest of their CO₂ figures.
    """
    return max(money for money, _ in garments), max(co2 for _, co2 in garments)


def add_impact(
    figures: LendingFigures,
    totals: list[tuple[int, int, Decimal]],
    outfits: Sequence[tuple[int, int, Decimal]] = (),
) -> None:
    """Money saved and CO₂ avoided from (category, loans, their replacement values summed),
    every loan counted; then each closet rental among them, whose garments `outfits` lists
    (outfit_garments), brought down from its garments' sum to its one saving (outfit_saving)."""
    categories = {category for category, _, _ in totals} | {c for _, c, _ in outfits}
    factors = impact_factors_for(categories)
    for category, n, values in totals:
        factor = factors.get(category)
        if factor is not None:
            figures.money_saved += factor.money_for(n, values)
            figures.co2_kg += factor.co2_kg * n
    garments: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for rental, category, value in outfits:
        factor = factors.get(category)
        saving = (Decimal(0), Decimal(0))
        if factor is not None:
            saving = (factor.money_for(1, value), factor.co2_kg)
        garments.setdefault(rental, []).append(saving)
    for savings in garments.values():
        money, co2 = outfit_saving(savings)
        figures.money_saved -= sum(m for m, _ in savings) - money
        figures.co2_kg -= sum(c for _, c in savings) - co2
