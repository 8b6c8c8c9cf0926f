"""Impact factors: the per-category estimate of money saved and CO₂ avoided by one loan.

Staff and city admins see and edit them; the reports multiply them by loans. An estimate, and
every page that shows one says so and writes the formula out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lending.models import Category, Event, ImpactFactor
from lending.rules import category_chain
from sharing_city.core.errors import InvalidInput, NotAllowed
from sharing_city.core.events import CITY

FIELDS = ("basis", "money_share", "money_fixed", "co2_kg")


class ImpactFactorInvalid(InvalidInput):
    code = "impact_factor_invalid"
    default_message = _(
        "A share is between 0 and 1, and amounts and CO₂ are zero or more. Check the numbers."
    )


class ImpactFactorNotAllowed(NotAllowed):
    code = "impact_factor_forbidden"
    default_message = _(
        "Impact factors are shared by every district's report: only city admins change them."
    )


def _may_edit(user: Any) -> bool:
    """City-wide: one district's staff must not change the figures of every other district."""
    from sharing_city.accounts.access import may_edit_city_settings

    return may_edit_city_settings(user)


def _decimal(value: Any, places: int, *, high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ImpactFactorInvalid from exc
    if not number.is_finite() or number < 0 or (high is not None and number > high):
        raise ImpactFactorInvalid
    return number


def set_impact_factor(
    *,
    category: Category,
    by: Any,
    basis: str,
    money_share: Any = Decimal(0),
    money_fixed: Any = Decimal(0),
    co2_kg: Any = Decimal(0),
    now: dt.datetime | None = None,
) -> ImpactFactor:
    """Set a category's factor (creating it), with an event row of the old and new values.

    Saving the values it already has is a no-op: no event, `updated_at` kept.
    """
    now = now or timezone.now()
    if not _may_edit(by):
        raise ImpactFactorNotAllowed
    if basis not in ImpactFactor.Basis.values:
        raise ImpactFactorInvalid
    new = {
        "basis": basis,
        "money_share": _decimal(money_share, 4, high=Decimal(1)),
        "money_fixed": _decimal(money_fixed, 0, high=Decimal("9999999999")),
        "co2_kg": _decimal(co2_kg, 3, high=Decimal("99999.999")),
    }
    with transaction.atomic(durable=True):
        # get_or_create, then lock: two editors at once serialise on the row.
        ImpactFactor.objects.get_or_create(category=category)
        factor = ImpactFactor.objects.select_for_update().get(category=category)
        old = {name: getattr(factor, name) for name in FIELDS}
        if old == new and factor.updated_at is not None:
            return factor
        for name, value in new.items():
            setattr(factor, name, value)
        factor.updated_at = now
        factor.updated_by = by
        factor.save(update_fields=[*FIELDS, "updated_at", "updated_by"])
        Event.objects.create(
            action=Event.Action.IMPACT,
            at=now,
            actor=by,
            where=CITY,  # impact factors are the city's
            subject=f"category:{category.pk}",
            data={
                "category": category.slug,
                "from": {k: str(v) for k, v in old.items()},
                "to": {k: str(v) for k, v in new.items()},
            },
        )
    return factor


def impact_factors_for(category_ids: list[int] | set[int]) -> dict[int, ImpactFactor | None]:
    """The factor that applies to each category: its own, else its nearest parent's (2 queries)."""
    parents: dict[int, int | None] = dict(Category.objects.values_list("pk", "parent_id"))
    factors = {f.category_id: f for f in ImpactFactor.objects.all()}
    result: dict[int, ImpactFactor | None] = {}
    for category_id in category_ids:
        chain = category_chain(category_id, parents)
        result[category_id] = next((factors[c] for c in chain if c in factors), None)
    return result
