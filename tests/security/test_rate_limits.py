"""Guessing passwords and flooding reset emails is slowed down: 429 after the limit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str, ip: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_login_refuses_the_eleventh_attempt_from_one_address_even_with_the_right_password(
    client, resident
) -> None:
    for _ in range(10):
        assert _login(client, "resident", "wrong-password").status_code == 400

    response = _login(client, "resident", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_limit_per_account_holds_across_addresses(client, resident) -> None:
    for n in range(10):
        _login(client, "resident", "wrong-password", ip=f"198.51.100.{n + 1}")

    response = _login(client, "resident", PASSWORD, ip="198.51.100.200")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_within_the_limit_still_works(client, resident) -> None:
    for _ in range(3):
        _login(client, "resident", "wrong-password")

    response = _login(client, "resident", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_password_reset_sends_no_more_mail_after_the_limit(client, resident) -> None:
    url = reverse("accounts:password-reset")
    for _ in range(5):
        response = client.post(url, {"email": resident.email}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
    sent = len(mail.outbox)
    assert sent == 5

    response = client.post(url, {"email": resident.email}, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
    assert len(mail.outbox) == sent
