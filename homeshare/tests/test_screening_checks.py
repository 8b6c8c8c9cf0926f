"""References, the ID check and (per city) hosts' background checks, all before approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from homeshare import services
from homeshare.exceptions import ApplicationRefused, NotAllowed
from homeshare.models import ScreeningCheck

pytestmark = pytest.mark.django_db


def _check(coordinator, app, today, kind="reference", outcome="confirmed", name="김영희"):
    return services.record_check(
        by=coordinator,
        application=app,
        kind=kind,
        checked_on=today,
        method="phone",
        outcome=outcome,
        referee_name=name if kind == "reference" else "",
        referee_relation="former landlord" if kind == "reference" else "",
    )


def test_approval_is_refused_until_references_and_the_id_check_are_recorded(
    make_host, coordinator, today
):
    app = make_host(status="submitted", checks=False)

    with pytest.raises(ApplicationRefused, match="추천인 두 명"):
        services.screen_application(by=coordinator, application=app, approve=True)
    _check(coordinator, app, today)
    _check(coordinator, app, today, outcome="not_reached", name="박철수")  # does not count
    with pytest.raises(ApplicationRefused, match="2명 중 1명"):
        services.screen_application(by=coordinator, application=app, approve=True)
    _check(coordinator, app, today, name="이민호")
    with pytest.raises(ApplicationRefused, match="신원 확인"):
        services.screen_application(by=coordinator, application=app, approve=True)
    app.refresh_from_db()
    assert app.status == "submitted"

    _check(coordinator, app, today, kind="id")
    services.screen_application(by=coordinator, application=app, approve=True)

    app.refresh_from_db()
    assert app.status == "approved"
    recorded = list(app.checks.values_list("kind", "outcome", "method", "checked_on"))
    assert len(recorded) == 4
    assert ("reference", "not_reached", "phone", today) in recorded


def test_a_student_needs_the_same_references_and_id_check(make_student, coordinator, today):
    app = make_student(status="submitted", checks=False)
    _check(coordinator, app, today)
    _check(coordinator, app, today, name="이민호")

    with pytest.raises(ApplicationRefused, match="신원 확인"):
        services.screen_application(by=coordinator, application=app, approve=True)
    with pytest.raises(ApplicationRefused):  # background checks are for hosts
        _check(coordinator, app, today, kind="background")


def test_a_city_can_require_a_background_check_for_hosts(make_host, coordinator, today):
    app = make_host(status="submitted")  # references and ID check confirmed
    with override_settings(HOMESHARE_HOST_BACKGROUND_CHECK={"default": False, "seoul": True}):
        with pytest.raises(ApplicationRefused, match="범죄경력 조회"):
            services.screen_application(by=coordinator, application=app, approve=True)
        _check(coordinator, app, today, kind="background", outcome="concerns")
        with pytest.raises(ApplicationRefused, match="범죄경력 조회"):
            services.screen_application(by=coordinator, application=app, approve=True)
        _check(coordinator, app, today, kind="background")
        services.screen_application(by=coordinator, application=app, approve=True)

    app.refresh_from_db()
    assert app.status == "approved"


def test_without_the_setting_a_host_needs_no_background_check(make_host, coordinator):
    app = make_host(status="submitted")
    services.screen_application(by=coordinator, application=app, approve=True)
    app.refresh_from_db()
    assert app.status == "approved"


def test_a_reference_names_the_referee_and_others_cannot_record(
    make_host, coordinator, coordinator_elsewhere, today
):
    app = make_host(status="submitted", checks=False)
    with pytest.raises(ApplicationRefused):
        _check(coordinator, app, today, name="  ")
    with pytest.raises(NotAllowed):
        _check(coordinator_elsewhere, app, today)
    assert not ScreeningCheck.objects.exists()


def test_the_review_page_records_checks_and_refuses_approval_without_them(
    client, make_host, coordinator, today
):
    app = make_host(status="submitted", checks=False, has_pets=True, pets_description="고양이")
    client.force_login(coordinator)
    url = reverse("homeshare:record-check", args=["host", app.pk])

    with translation.override("ko"):
        page = client.get(reverse("homeshare:review", args=["host", app.pk]))
        refused = client.post(
            reverse("homeshare:decide", args=["host", app.pk]), {"decision": "approve"}
        )
    assert "신원 확인" in page.content.decode() and "고양이" in page.content.decode()
    assert refused.status_code == 409
    assert "추천인" in refused.content.decode()

    future = client.post(
        url,
        {
            "kind": "id",
            "checked_on": (today + timedelta(days=3)).isoformat(),
            "method": "document",
            "outcome": "confirmed",
        },
    )
    nameless = client.post(
        url,
        {"kind": "reference", "checked_on": today.isoformat(), "method": "phone", "outcome": "x"},
    )
    assert (future.status_code, nameless.status_code) == (400, 400)
    for name in ("김영희", "이민호"):
        client.post(
            url,
            {
                "kind": "reference",
                "referee_name": name,
                "checked_on": today.isoformat(),
                "method": "phone",
                "outcome": "confirmed",
            },
        )
    client.post(
        url,
        {
            "kind": "id",
            "checked_on": today.isoformat(),
            "method": "document",
            "outcome": "confirmed",
        },
    )
    client.post(reverse("homeshare:decide", args=["host", app.pk]), {"decision": "approve"})

    app.refresh_from_db()
    assert app.status == "approved"
    assert app.checks.count() == 3


def test_the_api_refuses_approval_until_the_checks_are_recorded(
    client, make_student, coordinator, today
):
    app = make_student(status="submitted", checks=False)
    client.force_login(coordinator)
    decide = reverse("api:homeshare-application-decide", args=["student", app.pk])
    checks = reverse("api:homeshare-application-checks", args=["student", app.pk])

    refused = client.post(decide, {"approve": True}, content_type="application/json")
    assert refused.status_code == 409
    bad = client.post(
        checks,
        {"kind": "id", "checked_on": "0001-01-01", "method": "document", "outcome": "confirmed"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    for body in (
        {"kind": "reference", "referee_name": "김영희"},
        {"kind": "reference", "referee_name": "이민호"},
        {"kind": "id"},
    ):
        body |= {"checked_on": today.isoformat(), "method": "phone", "outcome": "confirmed"}
        assert client.post(checks, body, content_type="application/json").status_code == 201
    approved = client.post(decide, {"approve": True}, content_type="application/json")

    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_the_api_lets_no_member_record_checks(client, make_student, make_member, today):
    app = make_student(status="submitted", checks=False)
    client.force_login(make_member("nosy"))
    response = client.post(
        reverse("api:homeshare-application-checks", args=["student", app.pk]),
        {"kind": "id", "checked_on": today.isoformat(), "method": "phone", "outcome": "confirmed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ScreeningCheck.objects.exists()
