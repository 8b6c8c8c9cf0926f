"""Every URL that accepts a POST refuses one without a CSRF token (403), and changes nothing.

The URL list and who may POST where come from the permission matrix; each URL is posted to
by the first persona the matrix lets past the login and the role check, from a client that
enforces CSRF checks as a browser session would. (That every POST form carries the token is
checked page by page in the permission matrix.)
"""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from lending.models import Booking, Event, Loan
from sharing_city.accounts.models import User
from tests.personas import (  # noqa: F401 - fixtures
    PERSONAS,
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)
from tests.test_permission_matrix import ADMIN, ALL_URLS, RULES, expected, kwargs_for

pytestmark = pytest.mark.django_db

PREFERRED = ("city_admin", "staff", "volunteer", "coordinator", "resident", "anonymous")


def poster(name: str) -> str | None:
    """Who gets furthest with a POST here (not 302 to login, 403 or 405), if anyone."""
    statuses = dict(zip(PERSONAS, expected(name)["POST"], strict=True))
    for persona in PREFERRED:
        if statuses[persona] not in (302, 403, 405):
            return persona
    return None


def snapshot() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Booking.objects.count(),
        Loan.objects.count(),
        Event.objects.count(),
    )


def test_every_post_without_a_csrf_token_is_refused(world: World) -> None:
    checked = []
    for name in sorted(set(RULES) & (set(ALL_URLS) - ADMIN)):
        persona = poster(name)
        if persona is None:
            continue
        caches["ratelimit"].clear()
        url = reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], world))
        before = snapshot()
        response = world.client(persona, enforce_csrf_checks=True).post(url, {"x": "1"})
        if name == "core:healthz":  # a probe: no session, no side effects, no form
            continue
        assert response.status_code == 403, f"POST {url} as {persona} without a token"
        assert snapshot() == before, name
        checked.append(name)
    assert len(checked) > 20, checked
