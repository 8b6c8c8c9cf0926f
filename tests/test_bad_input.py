"""Bad input anywhere gets a 4xx in the member's language, changes nothing, and is never a 500.

Malformed codes, dates in the past, reversed ranges, huge page sizes and ids, unicode and very
long strings, wrong content types — over the API operations and the forms that exist.
"""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lending.models import Booking, Event, Loan, TitlePhoto
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

pytestmark = pytest.mark.django_db

LONG = "가" * 5000
WEIRD = ["", " ", "../../etc/passwd", "' OR 1=1 --", "TC-0001\x00", "🦀" * 40, LONG, "<b>x</b>"]
HUGE = 10**20  # beyond bigint: a naive lookup is `integer out of range` on PostgreSQL


def today() -> dt.date:
    return timezone.localdate()


def snapshot() -> tuple[int, ...]:
    return (
        Booking.objects.count(),
        Loan.objects.count(),
        Loan.objects.filter(returned_at__isnull=True).count(),
        Event.objects.count(),
        User.objects.count(),
        TitlePhoto.objects.count(),
    )


def english(world: World, persona: str) -> Any:
    if persona != "anonymous":
        user = world.users[persona]
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return world.client(persona, HTTP_ACCEPT_LANGUAGE="en")


def url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.skip(f"{name} is not in this checkout")


# --- API: JSON bodies -------------------------------------------------------------------------


def api_cases(w: World) -> list[tuple[str, str, str, Any]]:
    """(persona, URL name, kwargs-json, body) — each body is wrong in one way."""
    past, soon = today() - dt.timedelta(days=3), today() + dt.timedelta(days=5)
    slug = w.tool_centre.slug
    book = {"title": w.title.pk, "place": slug}
    cases: list[tuple[str, str, str, Any]] = [
        ("resident", "api:lending-book", "", {**book, "start": str(past), "end": str(soon)}),
        ("resident", "api:lending-book", "", {**book, "start": str(soon), "end": str(past)}),
        ("resident", "api:lending-book", "", {**book, "start": "2026-02-30", "end": "tomorrow"}),
        (
            "resident",
            "api:lending-book",
            "",
            {**book, "title": HUGE, "start": str(soon), "end": str(soon)},
        ),
        (
            "resident",
            "api:lending-book",
            "",
            {**book, "title": "abc", "start": str(soon), "end": str(soon)},
        ),
        ("resident", "api:lending-book", "", [1, 2, 3]),
        ("resident", "api:lending-join-queue", "", {"title": w.title.pk, "place": LONG}),
        ("resident", "api:lending-join-queue", "", {"title": -1, "place": slug}),
    ]
    for code in WEIRD:
        cases += [
            (
                "volunteer",
                "api:lending-check-out",
                "",
                {"item": code, "member": w.users["resident"].member_number},
            ),
            ("volunteer", "api:lending-check-in", "", {"item": code}),
            (
                "volunteer",
                "api:tool-centres-check-out",
                slug,
                {"member_number": code, "codes": [code]},
            ),
            ("volunteer", "api:tool-centres-check-in", slug, {"code": code}),
        ]
    cases += [
        (
            "volunteer",
            "api:tool-centres-check-out",
            slug,
            {"member_number": "x", "codes": ["A"] * 500},
        ),
        (
            "volunteer",
            "api:tool-centres-check-out",
            slug,
            {"member_number": "x", "codes": "TC-0001"},
        ),
        (
            "volunteer",
            "api:tool-centres-check-in",
            slug,
            {"code": w.item.code, "condition": "exploded"},
        ),
        (
            "volunteer",
            "api:tool-centres-check-in",
            slug,
            {"code": w.item.code, "backdated_to": "yesterday"},
        ),
        # numbers where strings go (found by schemathesis: a 500 before the fix)
        ("volunteer", "api:tool-centres-check-in", slug, {"code": 0}),
        ("volunteer", "api:tool-centres-check-out", slug, {"member_number": 0, "codes": ["0"]}),
    ]
    return cases


def test_api_operations_refuse_bad_json_with_a_4xx_and_change_nothing(world: World) -> None:
    for persona, name, slug, body in api_cases(world):
        kwargs = {"slug": slug} if slug else {}
        target = url(name, **kwargs)
        before = snapshot()
        response = english(world, persona).post(target, body, content_type="application/json")
        where = f"POST {target} {str(body)[:120]}"
        assert 400 <= response.status_code < 500, (where, response.status_code)
        assert snapshot() == before, where


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [("text/plain", "title=1"), ("application/xml", "<a/>"), ("application/json", "{not json")],
)
def test_api_refuses_wrong_content_types_with_a_clear_4xx(
    world: World, content_type: str, payload: str
) -> None:
    before = snapshot()
    response = english(world, "resident").post(
        url("api:lending-book"), payload, content_type=content_type
    )

    assert response.status_code in (400, 415)
    assert response.json()  # a JSON error body, not an HTML error page
    assert snapshot() == before


@pytest.mark.parametrize(
    "query",
    [
        f"limit={HUGE}",
        "limit=-1",
        f"offset={HUGE}",
        "offset=-5",
        "limit=abc",
        f"q={LONG}",
        "q=%00",
        "available=maybe",
        "start=2026-13-01",
        f"place={HUGE}",
        "category=%F0%9F%A6%80",
    ],
)
def test_api_lists_survive_absurd_query_strings(world: World, query: str) -> None:
    for name in ("api:lending-titles-list", "api:lending-items-list"):
        response = english(world, "resident").get(f"{url(name)}?{query}")
        assert response.status_code in (200, 400), (name, query, response.status_code)
        if response.status_code == 200:
            assert len(response.json().get("results", [])) <= 100


@pytest.mark.parametrize(
    "name",
    [
        "api:lending-titles-detail",
        "api:lending-titles-availability",
        "api:lending-items-detail",
        "api:lending-my-loans-detail",
    ],
)
def test_api_details_of_impossible_ids_are_404(world: World, name: str) -> None:
    for pk in (HUGE, -1, "abc", "null,null"):
        response = english(world, "resident").get(url(name, pk=pk))
        assert response.status_code == 404, (name, pk)


def test_renewing_a_loan_with_an_id_beyond_bigint_is_404(world: World) -> None:
    response = english(world, "resident").post(url("api:lending-renew", pk=HUGE))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "body", "field", "message"),
    [
        ("api:lending-check-in", {"item": "tc-0001"}, "item", "capital letters"),
        ("api:lending-check-in", {"item": "TC_0001"}, "item", "capital letters"),
        ("api:lending-check-out", {"item": "TC-0001", "member": "010-5555-8642"}, "member", "SC"),
        ("api:lending-check-out", {"item": "TC-0001", "member": "SC" + "1" * 30}, "member", "SC"),
    ],
)
def test_desk_api_says_what_a_code_looks_like_when_it_is_malformed(
    world: World, name: str, body: dict[str, str], field: str, message: str
) -> None:
    before = snapshot()
    response = english(world, "volunteer").post(url(name), body, content_type="application/json")

    assert response.status_code == 400
    assert message in str(response.json()["detail"][field])
    assert snapshot() == before


def test_booking_api_refuses_a_place_that_is_not_a_slug(world: World) -> None:
    soon = str(today() + dt.timedelta(days=5))
    body = {"title": world.title.pk, "start": soon, "end": soon, "place": "mapo tools/.."}
    before = snapshot()
    response = english(world, "resident").post(
        url("api:lending-book"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "place" in response.json()["detail"]
    assert snapshot() == before


def test_well_formed_codes_still_reach_the_desk(world: World) -> None:
    """The format check only refuses what could never match: real codes are lent as before."""
    response = english(world, "volunteer").post(
        url("api:lending-check-in"), {"item": world.loan.item.code}, content_type="application/json"
    )

    assert response.status_code == 200
    world.loan.refresh_from_db()
    assert world.loan.returned_at is not None


def test_schema_states_the_formats_the_api_enforces(client) -> None:
    """So a client (and the fuzzer) can generate codes the API would accept."""
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    check_out = schemas["LoanCheckOutInputRequest"]["properties"]
    assert check_out["item"]["pattern"] == "^[A-Z0-9][A-Z0-9-]{2,31}$"
    assert check_out["member"]["pattern"] == "^SC[0-9]{6,12}$"
    booking = schemas["BookingInputRequest"]["properties"]
    assert booking["place"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert booking["title"]["minimum"] == 1
    assert schemas["RunInputRequest"]["properties"]["district"]["maxLength"] == 20


# --- HTML forms ---------------------------------------------------------------------------------


def test_booking_form_refuses_past_and_reversed_dates_in_english(world: World) -> None:
    client = english(world, "resident")
    target = url("lending:book", pk=world.title.pk)
    soon = today() + dt.timedelta(days=5)
    cases = [
        ({"start": str(today() - dt.timedelta(days=2)), "end": str(soon)}, "from today"),
        ({"start": str(soon), "end": str(soon - dt.timedelta(days=2))}, "on or after the start"),
        ({"start": "31/12/2026", "end": LONG}, "valid date"),
    ]
    for data, message in cases:
        before = snapshot()
        response = client.post(target, {**data, "place": world.tool_centre.pk})
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
        assert snapshot() == before


def test_booking_form_is_refused_in_korean_for_a_korean_member(world: World) -> None:
    resident = world.users["resident"]
    resident.preferred_language = "ko"
    resident.save(update_fields=["preferred_language"])
    past = today() - dt.timedelta(days=2)
    response = world.client("resident").post(
        url("lending:book", pk=world.title.pk),
        {"start": str(past), "end": str(past), "place": world.tool_centre.pk},
    )

    assert response.status_code == 400
    assert "Choose a start date from today" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        f"q={LONG}",
        "page=abc",
        f"page={HUGE}",
        "start=2026-99-99",
        "sort=;drop",
        f"place={HUGE}",
        "district=%00",
        "available=%F0%9F%A6%80",
    ],
)
def test_catalogue_survives_absurd_query_strings(world: World, query: str) -> None:
    response = english(world, "anonymous").get(f"{url('lending:catalogue')}?{query}")
    assert response.status_code in (200, 400), (query, response.status_code)


def test_sign_up_refuses_long_unicode_and_bad_email_and_creates_nobody(world: World, mapo) -> None:
    before = snapshot()
    response = english(world, "anonymous").post(
        url("accounts:signup"),
        {
            "full_name": LONG,
            "email": "not-an-email@",
            "phone": "🦀" * 10,
            "district": HUGE,
            "password1": "x",
            "password2": "y",
        },
    )

    assert response.status_code in (200, 400)
    assert "Enter a valid email address" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("code", WEIRD)
def test_desk_scan_of_a_malformed_code_is_a_4xx_that_changes_nothing(
    world: World, code: str
) -> None:
    before = snapshot()
    response = english(world, "volunteer").post(
        url("tool_centres:scan", slug=world.tool_centre.slug), {"code": code}
    )

    assert 400 <= response.status_code < 500 or response.status_code == 302, response.status_code
    assert snapshot() == before
