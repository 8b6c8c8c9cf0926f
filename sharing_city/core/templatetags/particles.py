"""{% load particles %}: ``{{ message|particles }}`` and ``{% filter particles %}…{% endfilter %}``
resolve 을(를)-style pairs (sharing_city/core/particles.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from sharing_city.core.particles import resolve

register = template.Library()


@register.filter(name="particles", is_safe=True)
def particles(value: object) -> str:
    text = str(value)
    resolved = resolve(text)
    # Only particles are put in, so text that was safe stays safe.
    return mark_safe(resolved) if isinstance(value, SafeString) else resolved  # noqa: S308
