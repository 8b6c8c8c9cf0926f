"""Pages and API: privacy of the host's address and phone, and who gets a 403."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeshare import services
from homeshare.models import HostApplication, MatchingRun

from .conftest import HOST_ADDRESS, HOST_PHONE

pytestmark = pytest.mark.django_db

PHONE_SHAPES = [HOST_PHONE, "010-9876-5432", "+821098765432"]


def assert_private(body: str) -> None:
    assert HOST_ADDRESS not in body
    for shape in PHONE_SHAPES:
        assert shape not in body


# --- Privacy ---------------------------------------------------------------------------------


def student_views(client, match):  # type: ignore[no-untyped-def]
    pages = [
        client.get(reverse("homeshare:match", args=[match.pk])),
        client.get(reverse("homeshare:start")),
        client.get(reverse("api:homeshare-match", args=[match.pk])),
        client.get(reverse("api:homeshare-matches")),
    ]
    for response in pages:
        assert response.status_code == 200
    return [r.content.decode() for r in pages]


def test_student_never_sees_address_or_phone_before_both_accept(client, proposed, student_app):
    client.force_login(student_app.applicant)

    for body in student_views(client, proposed):
        assert_private(body)


def test_student_still_sees_no_address_when_only_the_host_accepted(
    client, proposed, host_app, student_app
):
    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    client.force_login(student_app.applicant)

    for body in student_views(client, proposed):
        assert_private(body)
    data = client.get(reverse("api:homeshare-match", args=[proposed.pk])).json()
    assert data["host_contact"] is None
    assert data["room"]["district"] == "11440"


def test_student_sees_address_and_phone_once_both_accept(client, accepted, student_app):
    client.force_login(student_app.applicant)

    page = client.get(reverse("homeshare:match", args=[accepted.pk])).content.decode()
    data = client.get(reverse("api:homeshare-match", args=[accepted.pk])).json()

    assert HOST_ADDRESS in page and "010-9876-5432" in page  # shown as people write it
    assert "250,000원" in page  # the room's rent, as a Korean page writes money
    assert data["host_contact"] == {
        "name": host_name(accepted),
        "address": HOST_ADDRESS,
        "phone": HOST_PHONE,
    }


def host_name(match):  # type: ignore[no-untyped-def]
    return match.host_application.applicant.full_name


def test_student_declining_never_reveals_the_address(client, proposed, host_app, student_app):
    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    services.respond_to_match(
        by=student_app.applicant, match=proposed, accept=False, reason="Too far."
    )
    client.force_login(student_app.applicant)

    for body in student_views(client, proposed):
        assert_private(body)


def test_host_and_coordinator_see_the_contact(client, proposed, host_app, coordinator):
    for user in (host_app.applicant, coordinator):
        client.force_login(user)
        page = client.get(reverse("homeshare:match", args=[proposed.pk])).content.decode()
        assert HOST_ADDRESS in page


def test_a_stranger_gets_403_on_a_match(client, proposed, other_resident):
    client.force_login(other_resident)

    assert client.get(reverse("homeshare:match", args=[proposed.pk])).status_code == 403
    assert client.get(reverse("api:homeshare-match", args=[proposed.pk])).status_code == 403
    body = client.get(reverse("api:homeshare-matches")).json()
    assert body["results"] == []


# --- Coordinators of other districts and residents: 403 everywhere ---------------------------


@pytest.fixture
def coordinator_urls(active_agreement, run, host_app, student_app):
    match = active_agreement.match
    check_in = active_agreement.check_ins.first()
    candidate = run.candidates.get()
    get = [
        reverse("homeshare:coordinator"),
        reverse("homeshare:review", args=["host", host_app.pk]),
        reverse("homeshare:review", args=["student", student_app.pk]),
        reverse("homeshare:run", args=[run.pk]),
        reverse("homeshare:agreement", args=[active_agreement.pk]),
        reverse("homeshare:match", args=[match.pk]),
        reverse("api:homeshare-host-application", args=[host_app.pk]),
        reverse("api:homeshare-student-application", args=[student_app.pk]),
        reverse("api:homeshare-run", args=[run.pk]),
        reverse("api:homeshare-match", args=[match.pk]),
    ]
    post = [
        reverse("homeshare:record-screening", args=["host", host_app.pk]),
        reverse("homeshare:decide", args=["student", student_app.pk]),
        reverse("homeshare:propose", args=[candidate.pk]),
        reverse("homeshare:record-meeting", args=[match.pk]),
        reverse("homeshare:create-agreement", args=[match.pk]),
        reverse("homeshare:extend", args=[active_agreement.pk]),
        reverse("homeshare:end", args=[active_agreement.pk]),
        reverse("homeshare:record-check-in", args=[check_in.pk]),
        reverse("api:homeshare-propose", args=[candidate.pk]),
    ]
    return get, post


def test_other_districts_coordinator_gets_403_on_every_coordinator_page_and_api(
    client, coordinator_elsewhere, coordinator_urls, active_agreement
):
    client.force_login(coordinator_elsewhere)
    get, post = coordinator_urls

    refused_get = {url: client.get(url).status_code for url in get[1:]}
    refused_post = {url: client.post(url, {"reason": "x"}).status_code for url in post}

    assert set(refused_get.values()) == {403}, refused_get
    assert set(refused_post.values()) == {403}, refused_post
    active_agreement.refresh_from_db()
    assert active_agreement.status == "active"
    # Their own dashboard works, and shows nothing of Mapo-gu.
    dashboard = client.get(get[0])
    assert dashboard.status_code == 200
    assert get[1] not in dashboard.content.decode()  # no link to Mapo-gu's host application


def test_residents_get_403_on_every_coordinator_page_and_api(
    client, other_resident, coordinator_urls
):
    client.force_login(other_resident)
    get, post = coordinator_urls

    assert {client.get(url).status_code for url in get} == {403}
    assert {client.post(url, {"reason": "x"}).status_code for url in post} == {403}
    response = client.post(
        reverse("api:homeshare-runs"),
        {"term_start": "2026-03-01", "term_end": "2026-08-31"},
    )
    assert response.status_code == 403


def test_other_districts_coordinator_cannot_run_matching_for_mapo_by_api(
    client, coordinator_elsewhere, mapo
):
    client.force_login(coordinator_elsewhere)

    response = client.post(
        reverse("api:homeshare-runs"),
        {"district": mapo.code, "term_start": "2026-03-01", "term_end": "2026-08-31"},
        content_type="application/json",
    )

    assert response.status_code == 403


# --- Applicant and coordinator pages ----------------------------------------------------------


def test_host_applies_through_the_form_and_submits(client, resident, mapo, districts):
    client.force_login(resident)
    form = {
        "birth_date": "1950-04-01",
        "district": mapo.pk,
        "address": "마포구 테스트로 1",
        "contact_phone": "010-2222-3333",
        "rooms": 1,
        "room_size_m2": 11,
        "furnished": "on",
        "floor": "lift",
        "rent": 200000,
        "help_tasks": ["conversation", "safety"],
        "help_hours": 8,
        "student_gender": "any",
        "meals": "sometimes",
        "languages": ["ko"],
        "available_from": timezone.localdate().isoformat(),
        "min_term_months": 6,
        "action": "submit",
    }

    response = client.post(reverse("homeshare:apply", args=["host"]), form)

    app = HostApplication.objects.get(applicant=resident)
    assert response.status_code == 302
    assert response.url == reverse("homeshare:application", args=["host", app.pk])
    assert app.status == "submitted" and app.contact_phone == "+821022223333"


def test_host_form_refuses_someone_under_sixty_with_a_message(client, resident, mapo):
    client.force_login(resident)

    response = client.post(
        reverse("homeshare:apply", args=["host"]),
        {"birth_date": "2000-01-01", "district": mapo.pk, "action": "submit"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["birth_date"] == ["호스트는 60세 이상이어야 합니다."]
    assert not HostApplication.objects.exists()


def test_coordinator_screens_runs_and_proposes_through_the_pages(
    client, coordinator, make_host, make_student, today
):
    host = make_host(status="submitted", home_visit_on=None, interview_on=None)
    make_student()
    client.force_login(coordinator)

    client.post(
        reverse("homeshare:record-screening", args=["host", host.pk]),
        {"interview_on": today.isoformat(), "home_visit_on": today.isoformat()},
    )
    client.post(reverse("homeshare:decide", args=["host", host.pk]), {"decision": "approve"})
    response = client.post(
        reverse("homeshare:run-matching"),
        {
            "district": host.district.pk,
            "term_start": today.isoformat(),
            "term_end": (today + timedelta(days=200)).isoformat(),
        },
    )
    run_page = client.get(response.url)

    host.refresh_from_db()
    assert host.status == "approved"
    assert run_page.status_code == 200
    candidate = MatchingRun.objects.get().candidates.get()
    assert candidate.suggested
    assert reverse("homeshare:propose", args=[candidate.pk]) in run_page.content.decode()


def test_refused_action_shows_the_reason_with_a_4xx(client, make_student, coordinator):
    app = make_student(status="submitted", interview_on=None)
    client.force_login(coordinator)

    response = client.post(
        reverse("homeshare:decide", args=["student", app.pk]), {"decision": "approve"}
    )

    assert response.status_code == 409
    app.refresh_from_db()
    assert app.status == "submitted"


def test_api_application_list_query_count_does_not_grow_with_rows(client, coordinator, make_host):
    make_host("host0")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:homeshare-host-applications"))
    for i in range(1, 20):
        make_host(f"host{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:homeshare-host-applications"))

    assert len(json.loads(response.content)["results"]) == 20
    assert len(many) == len(one)


def test_coordinator_dashboard_query_count_does_not_grow_with_rows(client, coordinator, make_host):
    make_host("host0")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("homeshare:coordinator"))
    for i in range(1, 20):
        make_host(f"host{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("homeshare:coordinator"))

    assert len(many) == len(one)


def test_student_uploads_proof_only_they_and_their_coordinator_can_download_it(
    client, resident, coordinator, coordinator_elsewhere, mapo, commute
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeshare.models import StudentApplication
    from homeshare.tests.test_bounds import PDF

    client.force_login(resident)
    proof = SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("homeshare:apply", args=["student"]),
        {
            "district": mapo.pk,
            "university": commute.pk,
            "enrolment_proof": proof,
            "gender": "female",
            "budget": 300000,
            "help_tasks": ["conversation"],
            "help_hours": 10,
            "meals": "sometimes",
            "languages": ["ko", "en"],
            "available_from": timezone.localdate().isoformat(),
            "action": "draft",
        },
    )
    app = StudentApplication.objects.get(applicant=resident)
    url = reverse("homeshare:enrolment-proof", args=[app.pk])

    assert response.status_code == 302 and app.status == "draft"
    client.force_login(coordinator_elsewhere)
    assert client.get(url).status_code == 403
    client.force_login(resident)
    own = client.get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    client.force_login(coordinator)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_upload_that_is_not_a_document_is_refused(client, resident, mapo, commute):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeshare.models import StudentApplication

    client.force_login(resident)
    response = client.post(
        reverse("homeshare:apply", args=["student"]),
        {
            "district": mapo.pk,
            "university": commute.pk,
            "enrolment_proof": SimpleUploadedFile(
                "x.exe", b"MZ", content_type="application/x-msdownload"
            ),
            "gender": "female",
            "budget": 300000,
            "help_tasks": ["conversation"],
            "languages": ["ko"],
            "meals": "sometimes",
            "help_hours": 10,
            "available_from": "2026-03-01",
            "action": "submit",
        },
    )

    assert response.status_code == 400
    assert "enrolment_proof" in response.context["form"].errors
    assert not StudentApplication.objects.exists()
