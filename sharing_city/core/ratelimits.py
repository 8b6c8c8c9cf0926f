"""Who a request comes from, for rate limits, and the limited admin login.

Behind the TLS proxy (README, "Configuring production") every request arrives from the proxy's
address, so limiting by REMOTE_ADDR would lock every member out after ten failures. The real
client is read from X-Forwarded-For, counting TRUSTED_PROXY_DEPTH entries from the right: each
trusted proxy appends the address it saw, and anything further left was written by the client
and cannot be trusted. Depth 0 (no proxy) uses REMOTE_ADDR.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from rest_framework.throttling import UserRateThrottle


def client_ip(request: HttpRequest) -> str:
    depth = int(getattr(settings, "TRUSTED_PROXY_DEPTH", 0))
    remote = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a key, not a bind
    if depth <= 0:
        return remote
    chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [p for p in chain if p]
    # Fewer entries than trusted proxies: the request skipped a proxy; use what connected.
    return chain[-depth] if len(chain) >= depth else remote


def login_rate_per_address(group: str, request: HttpRequest) -> str:
    return str(settings.LOGIN_RATE_PER_ADDRESS)


def login_rate_per_username(group: str, request: HttpRequest) -> str:
    return str(settings.LOGIN_RATE_PER_USERNAME)


def limit_login(view: Any) -> Any:
    """The login limits of the site's login form, for any login view (the admin's too)."""
    view = ratelimit(
        group="login", key="post:username", rate=login_rate_per_username, method="POST"
    )(view)
    return ratelimit(group="login", key="ip", rate=login_rate_per_address, method="POST")(view)


@limit_login
def admin_login(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """/admin/login/ with the same limits as the members' login (shared counters)."""
    return admin.site.login(request, *args, **kwargs)


class WriteRateThrottle(UserRateThrottle):
    """A stricter limit on the API's writes (scope "write"), per member or address."""

    scope = "write"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


def login_limited(request: HttpRequest, username: str) -> bool:
    """The login form's limits for a login that is not a form post (the API's token login):
    the same groups, rates and keys, so the counters are shared with /accounts/login/.
    Counts this attempt; True when it is over a limit."""
    by_name = is_ratelimited(
        request,
        group="login",
        key=lambda group, request: username,
        rate=login_rate_per_username,
        method="POST",
        increment=True,
    )
    by_address = is_ratelimited(
        request, group="login", key="ip", rate=login_rate_per_address, method="POST", increment=True
    )
    return by_name or by_address
