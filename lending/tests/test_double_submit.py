"""A double submit acts once (sharing_city/core/once.py): an HTML form's one-time token and
the API's Idempotency-Key. The rule here allows three renewals, so a second renewal would
succeed if the repeat were not caught."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lending import services
from lending.models import Booking, LendingRule, Loan
from sharing_city.core.models import OnceRequest
from sharing_city.core.once import forget_old

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_resident(client, resident):
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])
    client.force_login(resident)
    return client


@pytest.fixture
def renewable(drill, resident, volunteer):
    LendingRule.objects.filter(category=drill.title.category).update(renewal_limit=3)
    return services.check_out(item=drill, member=resident, by=volunteer)


def token_on(page: str, action: str) -> str:
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, f"no form posting to {action}"
    found = re.search(r'name="once" value="([0-9a-f]{32})"', form.group(0))
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_renewing_twice_from_one_page_renews_once(as_resident, renewable):
    action = reverse("lending:renew", args=[renewable.pk])
    token = token_on(as_resident.get(reverse("lending:my-loans")).text, action)

    first = as_resident.post(action, {"once": token})
    second = as_resident.post(action, {"once": token})

    renewable.refresh_from_db()
    assert renewable.renewals == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("lending:my-loans")
    assert second["Idempotent-Replayed"] == "true"
    # A fresh page gives a fresh token: renewing again on purpose still works.
    token = token_on(as_resident.get(reverse("lending:my-loans")).text, action)
    as_resident.post(action, {"once": token})
    renewable.refresh_from_db()
    assert renewable.renewals == 2


def test_a_refused_submit_keeps_nothing_so_its_repeat_runs_again(
    as_resident, renewable, other_resident
):
    action = reverse("lending:renew", args=[renewable.pk])
    token = token_on(as_resident.get(reverse("lending:my-loans")).text, action)
    services.place_hold(  # between showing the page and the click
        member=other_resident, title=renewable.item.title, place=renewable.place, by=other_resident
    )

    assert as_resident.post(action, {"once": token}).status_code == 409
    assert not OnceRequest.objects.exists()
    assert as_resident.post(action, {"once": token}).status_code == 409


def test_booking_twice_from_one_page_books_once(as_resident, drill):
    page = as_resident.get(reverse("lending:title", args=[drill.title_id])).text
    action = reverse("lending:book", args=[drill.title_id])
    start = timezone.localdate() + dt.timedelta(days=2)
    body = {
        "once": token_on(page, action),
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=2)).isoformat(),
        "place": drill.place_id,
        "copy": drill.code,
    }

    first = as_resident.post(action, body)
    second = as_resident.post(action, body)

    assert first.status_code == second.status_code == 302
    assert Booking.objects.filter(member__isnull=False).count() == 1


def test_the_same_token_with_other_fields_is_a_new_submission(as_resident, drill, second_drill):
    """A scanner's next code typed into the page before it reloaded must not be swallowed."""
    page = as_resident.get(reverse("lending:title", args=[drill.title_id])).text
    action = reverse("lending:book", args=[drill.title_id])
    token = token_on(page, action)
    start = timezone.localdate() + dt.timedelta(days=2)
    for copy in (drill, second_drill):
        body = {
            "once": token,
            "start": start.isoformat(),
            "end": start.isoformat(),
            "place": drill.place_id,
            "copy": copy.code,
        }
        assert as_resident.post(action, body).status_code == 302
    assert Booking.objects.count() == 2


def session_api(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_api_renewal_with_an_idempotency_key_acts_once_and_replays_the_answer(resident, renewable):
    client = session_api(resident)
    url = reverse("api:lending-renew", args=[renewable.pk])

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="renew-1")
    second = client.post(url, HTTP_IDEMPOTENCY_KEY="renew-1")

    renewable.refresh_from_db()
    assert renewable.renewals == 1
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="renew-2").status_code == 200
    renewable.refresh_from_db()
    assert renewable.renewals == 2


def test_an_idempotency_key_reused_for_another_request_is_refused(resident, drill, second_drill):
    client = session_api(resident)
    url = reverse("api:lending-book")
    start = timezone.localdate() + dt.timedelta(days=2)
    body = {"title": drill.title_id, "item": drill.code, "start": str(start), "end": str(start)}
    assert client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201

    other = client.post(
        url, {**body, "item": second_drill.code}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert other.status_code == 422
    assert other.json() == {
        "code": "idempotency_key_reused",
        "detail": "This key was already used for a different request.",
    }
    assert Booking.objects.count() == 1


def test_keys_belong_to_their_caller(resident, other_resident, drill, second_drill, volunteer):
    """Two members (one by token, one by session) may happen to pick the same key."""
    loans = [
        services.check_out(item=drill, member=resident, by=volunteer),
        services.check_out(item=second_drill, member=other_resident, by=volunteer),
    ]
    by_token = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident).key}")
    for client, loan in ((by_token, loans[0]), (session_api(other_resident), loans[1])):
        response = client.post(
            reverse("api:lending-renew", args=[loan.pk]), HTTP_IDEMPOTENCY_KEY="same"
        )
        assert response.status_code == 200
    assert [loan.renewals for loan in Loan.objects.order_by("pk")] == [1, 1]


@pytest.mark.parametrize("key", ["", "x" * 256, "é-key"])
def test_a_malformed_key_is_refused_with_the_api_error_shape(resident, renewable, key):
    response = session_api(resident).post(
        reverse("api:lending-renew", args=[renewable.pk]), HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    renewable.refresh_from_db()
    assert renewable.renewals == 0


def test_keys_are_forgotten_after_a_day(resident, renewable):
    client = session_api(resident)
    url = reverse("api:lending-renew", args=[renewable.pk])
    client.post(url, HTTP_IDEMPOTENCY_KEY="old")
    OnceRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))

    assert forget_old() == 1
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="old").status_code == 200
    renewable.refresh_from_db()
    assert renewable.renewals == 2


def test_an_idempotency_key_on_a_multipart_api_write_is_honoured(resident, renewable):
    """Multipart bodies are read by an earlier middleware (NUL check): found by schemathesis."""
    client = session_api(resident)
    url = reverse("api:lending-renew", args=[renewable.pk])

    first = client.post(url, {"note": "x"}, format="multipart", HTTP_IDEMPOTENCY_KEY="m")
    second = client.post(url, {"note": "x"}, format="multipart", HTTP_IDEMPOTENCY_KEY="m")
    other = client.post(url, {"note": "y"}, format="multipart", HTTP_IDEMPOTENCY_KEY="m")

    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    renewable.refresh_from_db()
    assert renewable.renewals == 1
