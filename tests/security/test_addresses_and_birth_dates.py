"""A home-share host's address, birth date and phone reach neither the logs nor anyone's pages
but the host's own, the district's coordinator's, and the student's once both sides accept.

The logs are captured at DEBUG while a host applies (refused, then accepted) and is screened,
and while a database error that repeats the row is reported the way Django reports a 500.
The pages are every home-share page and API resource, plus the member's own and the reports,
fetched by each member who must not see those details, whatever status they get.
"""

# ruff: noqa: F811 - fixtures imported from other conftest modules are used as arguments
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.http import HttpResponseServerError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.log import log_response

from closets.tests.conftest import (  # noqa: F401 - fixtures
    closet,
    closet_volunteer,
    clothing,
    free_programme,
    make_slot,
)
from homeshare.models import HostApplication, Match
from homeshare.tests.conftest import (  # noqa: F401 - fixtures
    HOST_ADDRESS,
    HOST_PHONE,
    accepted,
    commute,
    host_app,
    make_host,
    make_student,
    proposed,
    run,
    student_app,
    today,
)
from lending.tests.conftest import tool_centre, volunteer  # noqa: F401 - fixtures
from tests.security.conftest import Captured

pytestmark = pytest.mark.django_db

BORN = dt.date(1950, 5, 1)  # homeshare.tests.conftest.make_host's birth date
BIRTH_DATE_FORMS = (
    "1950-05-01",
    "1950-5-1",
    "1950년 5월 1일",
    "1950.05.01",
    "1950. 5. 1.",
    "1950/05/01",
    "05/01/1950",
    "01/05/1950",
    "May 1, 1950",
    "1 May 1950",
)
PHONE_FORMS = (HOST_PHONE, "010-9876-5432", "9876-5432", "+821098765432")


def secrets(address: str = HOST_ADDRESS) -> tuple[str, ...]:
    # The street part alone is enough to place a home.
    return (address, address.split(",")[0], *BIRTH_DATE_FORMS, *PHONE_FORMS)


def leaks(text: str, address: str = HOST_ADDRESS) -> list[str]:
    return [secret for secret in secrets(address) if secret in text]


# --- Logs -------------------------------------------------------------------------------------

NEW_ADDRESS = "서울 마포구 은밀로 47길 19, 1203호"


def host_form(mapo: Any, today: dt.date, **changes: Any) -> dict[str, Any]:
    return {
        "birth_date": BORN.isoformat(),
        "district": mapo.pk,
        "address": NEW_ADDRESS,
        "contact_phone": "010-9876-5432",
        "rooms": 1,
        "room_size_m2": 12,
        "furnished": "on",
        "floor": "ground",
        "rent": 250000,
        "help_tasks": ["conversation"],
        "help_hours": 8,
        "student_gender": "any",
        "meals": "sometimes",
        "languages": ["ko"],
        "available_from": today.isoformat(),
        "min_term_months": 6,
        "about": "A quiet flat near the park.",
        "action": "submit",
        **changes,
    }


def test_addresses_and_birth_dates_stay_out_of_the_logs(
    make_member, mapo, coordinator, today, logs: Captured
) -> None:
    host = make_member("new_host")
    applicant = Client()
    applicant.force_login(host)
    apply = reverse("homeshare:apply", kwargs={"kind": "host"})
    # refused first: too young, and a reversed availability, with the address in the form
    young = (today - dt.timedelta(days=365 * 30)).isoformat()
    refused = applicant.post(
        apply, host_form(mapo, today, birth_date=young, available_until="2000-01-01")
    )
    assert refused.status_code == 400
    created = applicant.post(apply, host_form(mapo, today))
    assert created.status_code == 302
    application = HostApplication.objects.get(applicant=host)
    assert application.address == NEW_ADDRESS
    assert applicant.get(created["Location"]).status_code == 200

    desk = Client()
    desk.force_login(coordinator)
    review = reverse("homeshare:review", kwargs={"kind": "host", "pk": application.pk})
    assert NEW_ADDRESS in desk.get(review).content.decode()  # the coordinator does see it
    # a member who may not look gets a refusal line in the log, not the application
    assert Client().get(review).status_code in (302, 403)

    # A database error that repeats the row, reported as Django reports a 500.
    with pytest.raises(IntegrityError) as error:
        HostApplication.objects.filter(pk=application.pk).update(rooms=9)
    if connection.vendor == "postgresql":  # its DETAIL line is the leak this guards against
        assert NEW_ADDRESS in str(error.value)
    request = RequestFactory().post(apply, host_form(mapo, today))
    log_response(
        "Internal Server Error: %s",
        request.path,
        response=HttpResponseServerError(),
        request=request,
        exception=error.value,
    )

    assert any("Internal Server Error" in line for line in logs.lines)
    assert "IntegrityError" in logs.text  # the traceback is kept, only the values go
    assert leaks(logs.text, NEW_ADDRESS) == []


@pytest.mark.parametrize(
    "text",
    [
        "DETAIL:  Failing row contains (7, draft, 서울 마포구 은밀로 47길 19, 1950-05-01, 1).",
        "DETAIL:  Key (address)=(서울 마포구 은밀로 47길 19) already exists.",
        'invalid input syntax for type date: "1950-05-01 서울 마포구 은밀로 47길 19"',
    ],
)
def test_database_error_details_lose_their_values_but_keep_their_meaning(text: str) -> None:
    from sharing_city.core.redact import redact

    cleaned = redact(text)

    assert "은밀로" not in cleaned
    assert "1950-05-01" not in cleaned
    assert cleaned[:20] == text[:20]  # what kind of error it was stays


# --- Pages ------------------------------------------------------------------------------------


def pages(match: Match, mapo: Any) -> list[str]:
    host = match.host_application
    return [
        reverse("homeshare:start"),
        reverse("homeshare:apply", kwargs={"kind": "host"}),
        reverse("homeshare:application", kwargs={"kind": "host", "pk": host.pk}),
        reverse("homeshare:review", kwargs={"kind": "host", "pk": host.pk}),
        reverse("homeshare:match", kwargs={"pk": match.pk}),
        reverse("homeshare:coordinator"),
        reverse("homeshare:commute"),
        reverse("accounts:profile"),
        reverse("reports:staff-start"),
        reverse("reports:staff", kwargs={"code": mapo.code}),
        "/api/v1/accounts/me/",
        "/api/v1/homeshare/host-applications/",
        f"/api/v1/homeshare/host-applications/{host.pk}/",
        "/api/v1/homeshare/matches/",
        f"/api/v1/homeshare/matches/{match.pk}/",
    ]


def pages_seen_by(user: Any, urls: list[str]) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    seen = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        seen[url] = response.content.decode()
    return seen


OUTSIDERS = ["other_resident", "volunteer", "staff", "staff_elsewhere", "coordinator_elsewhere"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_no_outsider_page_shows_a_hosts_address_birth_date_or_phone(
    request, persona: str, proposed: Match, mapo, tool_centre
) -> None:
    outsider = request.getfixturevalue(persona)
    seen = pages_seen_by(outsider, pages(proposed, mapo))

    found = {url: leaks(body) for url, body in seen.items() if leaks(body)}
    assert found == {}


def test_the_student_sees_no_address_birth_date_or_phone_before_both_accept(
    proposed: Match, student_app, host_app, mapo
) -> None:
    from homeshare import services

    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    seen = pages_seen_by(student_app.applicant, pages(proposed, mapo))

    assert seen[reverse("homeshare:match", kwargs={"pk": proposed.pk})]  # the page is there
    found = {url: leaks(body) for url, body in seen.items() if leaks(body)}
    assert found == {}


def test_once_both_accept_the_student_sees_address_and_phone_but_never_the_birth_date(
    accepted: Match, student_app, mapo
) -> None:
    seen = pages_seen_by(student_app.applicant, pages(accepted, mapo))

    match_page = seen[reverse("homeshare:match", kwargs={"pk": accepted.pk})]
    assert HOST_ADDRESS in match_page
    found = {url: [form for form in BIRTH_DATE_FORMS if form in body] for url, body in seen.items()}
    assert {url: forms for url, forms in found.items() if forms} == {}


def test_the_district_coordinator_does_see_them(proposed: Match, coordinator, mapo) -> None:
    """The check above is only worth something if the details are on some page at all."""
    seen = pages_seen_by(coordinator, pages(proposed, mapo))

    review = reverse(
        "homeshare:review", kwargs={"kind": "host", "pk": proposed.host_application_id}
    )
    assert HOST_ADDRESS in seen[review]
    assert leaks(seen[f"/api/v1/homeshare/host-applications/{proposed.host_application_id}/"])


# --- The closet: a renter's birth date from an ID check ----------------------------------------

RENTER_BORN = dt.date(1999, 7, 14)
RENTER_BIRTH_DATE_FORMS = (
    "1999-07-14",
    "1999-7-14",
    "1999.7.14",
    "1999. 7. 14",
    "07/14/1999",
    "7/14/1999",
    "July 14, 1999",
    "14 July 1999",
    "14 Jul 1999",
)


@pytest.fixture
def proof_visit(resident, closet, closet_volunteer, make_slot, free_programme):
    from closets.services import book_fitting, record_proof

    slot = make_slot(starts_at=timezone.now() + dt.timedelta(days=2))
    visit = book_fitting(member=resident, slot=slot, coaching=None, by=resident)
    record_proof(
        member=resident,
        programme=free_programme,
        birth_date=RENTER_BORN,
        residence_city="seoul",
        by=closet_volunteer,
        place=closet,
    )
    return visit


def closet_pages(visit: Any) -> list[str]:
    return [
        reverse("closets:start"),
        reverse("closets:desk", kwargs={"slug": visit.slot.place.slug}),
        reverse("closets:desk-visit", kwargs={"pk": visit.pk}),
    ]


@pytest.mark.parametrize("persona", ["other_resident", "volunteer", "staff_elsewhere"])
def test_no_outsider_sees_a_renters_birth_date(
    request, persona: str, proof_visit, tool_centre
) -> None:
    seen = pages_seen_by(request.getfixturevalue(persona), closet_pages(proof_visit))

    found = {url: [f for f in RENTER_BIRTH_DATE_FORMS if f in body] for url, body in seen.items()}
    assert {url: forms for url, forms in found.items() if forms} == {}


def test_the_closet_desk_sees_the_birth_date_it_recorded(proof_visit, closet_volunteer) -> None:
    seen = pages_seen_by(closet_volunteer, closet_pages(proof_visit))

    visit_page = seen[reverse("closets:desk-visit", kwargs={"pk": proof_visit.pk})]
    assert any(form in visit_page for form in RENTER_BIRTH_DATE_FORMS)
