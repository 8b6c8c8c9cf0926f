"""Home-share through the API as through the pages: an application created, changed and sent;
a meeting, an agreement, its check-in, extension and end, each by the district's coordinator
only, with the page's rules (bounds, an end after the start) answered as 400 {code, detail}."""

from datetime import timedelta

import pytest
from django.urls import reverse

from homeshare.models import Agreement, HostApplication

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_a_host_creates_a_draft_changes_it_and_sends_it(client, make_member, mapo, today):
    host = make_member("newhost", phone="010-2345-6789")
    client.force_login(host)
    url = reverse("api:homeshare-host-applications")
    body = {
        "birth_date": "1950-05-01",
        "district": mapo.pk,
        "address": "서울 마포구 1",
        "rooms": 1,
        "room_size_m2": 12,
        "rent": 250000,
        "help_tasks": ["conversation"],
        "help_hours": 10,
        "languages": ["ko"],
        "available_from": today.isoformat(),
        "min_term_months": 6,
        "about": "A quiet flat.",
    }
    too_young = client.post(url, {**body, "birth_date": "1990-01-01"}, content_type=JSON)
    created = client.post(url, body, content_type=JSON)
    assert too_young.status_code == 400 and "birth_date" in too_young.json()["detail"]
    assert created.status_code == 201, created.json()
    app = HostApplication.objects.get(applicant=host)
    assert app.status == "draft" and app.contact_phone  # the member's phone, as on the page
    assert client.post(url, body, content_type=JSON).status_code == 409  # one live each

    detail = reverse("api:homeshare-host-application", args=[app.pk])
    backwards = {"available_until": (today - timedelta(days=1)).isoformat()}
    refused = client.patch(detail, backwards, content_type=JSON)
    sent = client.patch(detail, {"rent": 200000, "submit": True}, content_type=JSON)

    assert refused.status_code == 400 and "available_until" in refused.json()["detail"]
    assert sent.status_code == 200, sent.json()
    app.refresh_from_db()
    assert (app.rent, app.status) == (200000, "submitted")


def test_another_member_cannot_change_an_application(client, other_resident, host_app):
    client.force_login(other_resident)
    detail = reverse("api:homeshare-host-application", args=[host_app.pk])

    response = client.patch(detail, {"rent": 1}, content_type=JSON)

    assert response.status_code == 403
    assert HostApplication.objects.get(pk=host_app.pk).rent == 250_000


def test_the_coordinator_makes_and_runs_an_agreement_through_the_api(
    client, accepted, coordinator, coordinator_elsewhere, host_app, today
):
    meeting = reverse("api:homeshare-meeting", args=[accepted.pk])
    client.force_login(coordinator_elsewhere)
    assert (
        client.post(meeting, {"meeting_on": today.isoformat()}, content_type=JSON).status_code
        == 403
    )
    client.force_login(coordinator)
    assert (
        client.post(meeting, {"meeting_on": today.isoformat()}, content_type=JSON).status_code
        == 200
    )

    create = reverse("api:homeshare-create-agreement", args=[accepted.pk])
    terms = {
        "rent": 250000,
        "help_tasks": ["conversation"],
        "help_hours": 10,
        "start_on": today.isoformat(),
        "trial_days": 30,
        "notice_days_trial": 7,
        "notice_days": 30,
    }
    backwards = {**terms, "end_on": (today - timedelta(days=1)).isoformat()}
    assert client.post(create, backwards, content_type=JSON).json()["code"] == "invalid"
    created = client.post(create, terms, content_type=JSON)
    assert created.status_code == 201, created.json()
    agreement = Agreement.objects.get(match=accepted)
    assert created.json()["end_on"] == agreement.end_on.isoformat()  # six months by default

    client.force_login(host_app.applicant)
    confirm = reverse("api:homeshare-confirm-agreement", args=[agreement.pk])
    assert client.post(confirm).status_code == 200
    mine = client.get(reverse("api:homeshare-agreements")).json()
    assert [a["id"] for a in mine["results"]] == [agreement.pk]
    extend = reverse("api:homeshare-extend-agreement", args=[agreement.pk])
    new_end = (agreement.end_on + timedelta(days=90)).isoformat()
    assert client.post(extend, {"new_end_on": new_end}, content_type=JSON).status_code == 403


def test_check_in_extend_and_end_an_active_agreement(client, active_agreement, coordinator, today):
    agreement = Agreement.objects.get(pk=active_agreement.pk)
    client.force_login(coordinator)
    check_in = agreement.check_ins.order_by("due_on").first()

    recorded = client.post(
        reverse("api:homeshare-record-check-in", args=[check_in.pk]),
        {"done_on": today.isoformat(), "notes": "All well.", "concern": False},
        content_type=JSON,
    )
    far = client.post(
        reverse("api:homeshare-extend-agreement", args=[agreement.pk]),
        {"new_end_on": "9999-12-31"},
        content_type=JSON,
    )
    new_end = agreement.end_on + timedelta(days=90)
    extended = client.post(
        reverse("api:homeshare-extend-agreement", args=[agreement.pk]),
        {"new_end_on": new_end.isoformat(), "reason": "Another semester"},
        content_type=JSON,
    )
    ended = client.post(
        reverse("api:homeshare-end-agreement", args=[agreement.pk]),
        {"ended_on": today.isoformat(), "reason": "The student moved."},
        content_type=JSON,
    )

    assert recorded.status_code == 200 and recorded.json()["done_on"] == today.isoformat()
    assert far.status_code == 400
    assert extended.json()["end_on"] == new_end.isoformat()
    assert ended.status_code == 200 and ended.json()["ended_on"] == today.isoformat()
    assert Agreement.objects.get(pk=agreement.pk).status == ended.json()["status"]


def test_a_student_application_is_screened_and_decided_by_its_coordinator_only(
    client, make_student, coordinator, coordinator_elsewhere, today
):
    app = make_student(status="submitted", interview_on=None)
    screening = reverse("api:homeshare-screening", args=["student", app.pk])
    decide = reverse("api:homeshare-application-decide", args=["student", app.pk])
    client.force_login(coordinator_elsewhere)
    assert client.post(decide, {"approve": True}, content_type=JSON).status_code == 403
    client.force_login(coordinator)

    screened = client.post(
        screening,
        {"interview_on": today.isoformat(), "enrolment_checked": True},
        content_type=JSON,
    )
    decided = client.post(decide, {"approve": True}, content_type=JSON)

    assert screened.status_code == 200, screened.json()
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "approved"
    assert (
        client.post(
            reverse("api:homeshare-screening", args=["lodger", app.pk]), {}, content_type=JSON
        ).status_code
        == 404
    )
