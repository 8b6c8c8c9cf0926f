"""Rate limits that an account page and its API operation count together: one group each, so
a client cannot get around the page's limit by switching to the API (README, "Rate limits")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

RESEND_CONFIRMATION: dict[str, Any] = {
    "group": "accounts:resend-confirmation",
    "key": "user",
    "rate": "3/h",
    "method": "POST",
}
PASSWORD_CHANGE: dict[str, Any] = {
    "group": "accounts:password-change",
    "key": "ip",
    "rate": "5/m",
    "method": "POST",
}


def limited(request: HttpRequest, limit: dict[str, Any]) -> bool:
    """Counts this attempt against the page's limit; True when it is over."""
    return is_ratelimited(request, increment=True, **limit)
