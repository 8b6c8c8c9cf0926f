"""Issue 15: the admin login is limited, the login limiter sees the real client behind the
proxy, the API is throttled (writes more strictly), and with Redis unreachable the site is
slower, not broken."""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from conftest import PASSWORD
from sharing_city.core.ratelimits import WriteRateThrottle
from tests.personas import (  # noqa: F401 - fixtures
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

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}
UNREACHABLE_REDIS["ratelimit"] = {**UNREACHABLE_REDIS["default"], "KEY_PREFIX": "rl"}


def test_the_admin_login_refuses_the_eleventh_attempt_even_with_the_right_password(
    client, city_admin
) -> None:
    url = reverse("admin:login")
    for _ in range(10):
        client.post(url, {"username": city_admin.username, "password": "wrong"})

    response = client.post(url, {"username": city_admin.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _login(client, username, password, forwarded):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the TLS proxy: every request comes from it
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(TRUSTED_PROXY_DEPTH=1)
def test_behind_the_proxy_one_guesser_does_not_lock_everyone_out(client, resident) -> None:
    for n in range(12):
        _login(client, f"nobody-{n}", "wrong", forwarded="198.51.100.66")

    guesser = _login(client, resident.username, PASSWORD, forwarded="198.51.100.66")
    member = _login(client, resident.username, PASSWORD, forwarded="203.0.113.5")

    assert guesser.status_code == 429
    assert member.status_code == 302


@override_settings(TRUSTED_PROXY_DEPTH=1)
def test_a_forged_forwarded_for_does_not_escape_the_limit(client, resident) -> None:
    for n in range(12):
        # The client writes its own X-Forwarded-For; the proxy appends the real address.
        _login(client, f"nobody-{n}", "wrong", forwarded=f"192.0.2.{n}, 198.51.100.66")

    response = _login(client, resident.username, PASSWORD, forwarded="192.0.2.99, 198.51.100.66")

    assert response.status_code == 429


def test_the_api_is_throttled_for_anonymous_callers(client, monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/min"})
    statuses = [client.get(reverse("api:root")).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    assert client.get(reverse("api:root")).json()["code"] == "throttled"


def test_api_writes_have_a_stricter_limit_than_reads(world: World, monkeypatch) -> None:
    rates = {**WriteRateThrottle.THROTTLE_RATES, "write": "2/min"}
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", rates)
    client = world.client("resident")
    url = reverse("api:lending-renew", args=[world.loan.pk])

    writes = [client.post(url).status_code for _ in range(3)]
    reads = [client.get(reverse("api:lending-my-loans-list")).status_code for _ in range(3)]

    assert writes[2] == 429 and 429 not in writes[:2]
    assert reads == [200, 200, 200]


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_unreachable_pages_login_and_writes_still_work(world: World, client) -> None:
    from lending.models import Loan

    world.booking.delete()  # nobody waits, so the renewal is allowed
    catalogue = client.get(reverse("lending:catalogue"))
    login = client.post(reverse("accounts:login"), {"username": "resident", "password": PASSWORD})
    profile = client.get(reverse("accounts:profile"))  # the session is read from the database
    due = world.loan.due_date
    renewed = client.post(reverse("lending:renew", args=[world.loan.pk]))

    assert catalogue.status_code == 200
    assert login.status_code == 302
    assert profile.status_code == 200
    assert renewed.status_code in (200, 302)
    assert Loan.objects.get(pk=world.loan.pk).due_date > due
