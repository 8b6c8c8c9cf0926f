from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A figure for reading: thousands separated, one decimal, "–" when there is none."""
    if value is None or value == "":
        return _("n/a")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key)
