"""Template filters that put the matcher's reason codes into words."""

from __future__ import annotations

from django import template

from homeshare.explain import describe_exclusion, describe_reason

register = template.Library()


@register.filter
def reason_texts(reasons: list[dict]) -> list[str]:
    return [describe_reason(r) for r in reasons or []]


@register.filter
def exclusion_texts(codes: list[str]) -> list[str]:
    return [describe_exclusion(code) for code in codes or []]
