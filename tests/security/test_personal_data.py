"""A member's phone number never reaches the logs, whatever path the request takes.

Logs are shipped to places with weaker protection than the database (log files, error mails,
aggregators), so personal data must not be in them. What the configured handlers write is
captured at DEBUG through sign-up, login, a desk check-out and the error paths — including
Django's own "Not Found: <path>" line for a path that carries a phone number.
(That no other member's page shows the phone is checked by the permission matrix.)
"""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sharing_city.accounts.models import User
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
from tests.security.conftest import Captured

pytestmark = pytest.mark.django_db

NEW_PHONE = "010-5555-8642"
SECRETS = (
    "01055558642",
    "5555-8642",
    "55558642",
    "01011112222",
    "1111-2222",
    "+821011112222",
    "+821055558642",
)


def test_phone_numbers_stay_out_of_the_logs(world: World, mapo, logs: Captured) -> None:
    anonymous = Client()
    signup = {
        "full_name": "김하늘",
        "email": "haneul@example.org",
        "phone": NEW_PHONE,
        "district": mapo.pk,
        "preferred_language": "ko",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    # error path first: passwords that do not match, the phone in the refused form
    refused = anonymous.post(reverse("accounts:signup"), {**signup, "password2": "x"})
    assert refused.status_code in (200, 400)
    created = anonymous.post(reverse("accounts:signup"), signup)
    assert created.status_code == 302
    member = User.objects.get(email="haneul@example.org")
    assert member.phone  # stored (normalised or not): the point is it is not logged

    login = Client().post(
        reverse("accounts:login"), {"username": "haneul@example.org", "password": "wrong"}
    )
    assert login.status_code in (200, 400)

    desk = world.client("volunteer")
    url = reverse("api:tool-centres-check-out", kwargs={"slug": world.tool_centre.slug})
    lent = desk.post(
        url,
        {"member_number": member.member_number, "codes": [world.item.code]},
        content_type="application/json",
    )
    assert lent.status_code == 200
    # the desk looks a member up by phone; the item is out now (a refused line); a bad code
    for body in (
        {"member_number": NEW_PHONE, "codes": [world.item.code]},
        {"member_number": "01011112222", "codes": ["NOPE-0000"]},
    ):
        assert desk.post(url, body, content_type="application/json").status_code < 500
    # someone else's pages and a page that does not exist, with the phone in the address
    assert world.client("other_resident").get(f"/accounts/profile/{NEW_PHONE}/").status_code == 404

    assert any("Not Found" in line for line in logs.lines), "the 404 line was not captured"
    leaked = [line for line in logs.lines if any(secret in line for secret in SECRETS)]
    assert not leaked


@pytest.mark.parametrize(
    "text",
    ["Not Found: /desk/x/member/010-5555-8642/", "+82 10 5555 8642", "call 01055558642 now"],
)
def test_phone_numbers_are_masked_but_dates_and_codes_are_not(text: str) -> None:
    from sharing_city.core.redact import redact

    assert "5555" not in redact(text)
    assert redact("loan 123456 due 2026-11-18, item TC-0001") == (
        "loan 123456 due 2026-11-18, item TC-0001"
    )
