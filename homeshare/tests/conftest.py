"""Home-share fixtures: the commute table, and approved hosts and students in Mapo-gu."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from homeshare.models import HostApplication, ScreeningCheck, StudentApplication, University
from homeshare.selectors import load_commute_file

HOST_ADDRESS = "서울 마포구 비밀로 7길 12, 301호"
HOST_PHONE = "01098765432"
# Every way the host's phone could leak: as stored (E.164 or typed), shown, or in part.
HOST_PHONE_SHAPES = (HOST_PHONE, "010-9876-5432", "+821098765432", "9876-5432")


def record_checks(app, by, today, *, kinds=("reference", "reference", "id")):
    """The checks approval needs, confirmed (rows straight in: the service is tested apart)."""
    key = "host_application" if isinstance(app, HostApplication) else "student_application"
    for i, kind in enumerate(kinds):
        ScreeningCheck.objects.create(
            **{key: app},
            kind=kind,
            referee_name=f"Referee {i}" if kind == "reference" else "",
            checked_on=today,
            method="phone" if kind == "reference" else "document",
            outcome="confirmed",
            recorded_by=by,
        )


@pytest.fixture
def commute(districts):
    load_commute_file("seoul")
    return University.objects.get(code="yonsei")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_host(make_member, mapo, today):
    def make(username="host", status="approved", district=None, checks=True, **extra):
        user = make_member(username, phone=HOST_PHONE)
        fields = {
            "applicant": user,
            "district": district or mapo,
            "status": status,
            "birth_date": date(1950, 5, 1),
            "address": HOST_ADDRESS,
            "contact_phone": HOST_PHONE,
            "rooms": 1,
            "room_size_m2": 12,
            "rent": 250_000,
            "help_tasks": ["conversation", "shopping"],
            "help_hours": 10,
            "languages": ["ko"],
            "available_from": today,
            "min_term_months": 6,
            "about": "A quiet flat near the park.",
            "interview_on": today,
            "home_visit_on": today,
        }
        fields.update(extra)
        app = HostApplication.objects.create(**fields)
        if checks:
            record_checks(app, user, today)
        return app

    return make


@pytest.fixture
def make_student(make_member, mapo, commute, today):
    def make(username="student", status="approved", district=None, checks=True, **extra):
        user = make_member(username)
        fields = {
            "applicant": user,
            "district": district or mapo,
            "status": status,
            "university": commute,
            "enrolment_checked": True,
            "gender": "female",
            "budget": 300_000,
            "help_tasks": ["conversation", "shopping"],
            "help_hours": 10,
            "languages": ["ko"],
            "available_from": today,
            "available_until": today + timedelta(days=365),
            "interview_on": today,
        }
        fields.update(extra)
        app = StudentApplication.objects.create(**fields)
        if checks:
            record_checks(app, user, today)
        return app

    return make


@pytest.fixture
def host_app(make_host):
    return make_host()


@pytest.fixture
def student_app(make_student):
    return make_student()


@pytest.fixture
def run(coordinator, host_app, student_app, today):
    from homeshare import services

    return services.run_matching(
        by=coordinator,
        district=host_app.district,
        term_start=today,
        term_end=today + timedelta(days=182),
    )


@pytest.fixture
def proposed(run, coordinator):
    from homeshare import services

    candidate = run.candidates.get()
    return services.propose_match(by=coordinator, candidate=candidate)


@pytest.fixture
def accepted(proposed, host_app, student_app):
    from homeshare import services

    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    return services.respond_to_match(by=student_app.applicant, match=proposed, accept=True)


@pytest.fixture
def active_agreement(accepted, coordinator, host_app, student_app, today):
    from homeshare import services

    services.record_meeting(by=coordinator, match=accepted, meeting_on=today)
    agreement = services.create_agreement(
        by=coordinator,
        match=accepted,
        rent=250_000,
        help_tasks=["conversation"],
        help_hours=10,
        start_on=today,
    )
    services.confirm_agreement(by=host_app.applicant, agreement=agreement)
    return services.confirm_agreement(by=student_app.applicant, agreement=agreement)
