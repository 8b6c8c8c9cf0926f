"""Home-share values stay within bounds, and no saved value makes a page fail."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeshare import services
from homeshare.models import Agreement

pytestmark = pytest.mark.django_db


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()  # a real one-page PDF, as a scanner would make


def test_the_student_edit_page_renders_after_an_enrolment_proof_was_uploaded(client, make_student):
    app = make_student(status="draft")
    app.enrolment_proof = SimpleUploadedFile("proof.pdf", PDF)
    app.save()
    client.force_login(app.applicant)

    response = client.get(reverse("homeshare:apply", args=["student"]))

    assert response.status_code == 200
    assert reverse("homeshare:enrolment-proof", args=[app.pk]) in response.content.decode()


def test_the_agreement_page_renders_after_an_agreement_ends_on_9999_12_31(
    client, coordinator, active_agreement
):
    Agreement.objects.filter(pk=active_agreement.pk).update(end_on=date.max)
    client.force_login(coordinator)

    response = client.get(reverse("homeshare:agreement", args=[active_agreement.pk]))

    assert response.status_code == 200


def test_extending_an_agreement_to_9999_12_31_is_refused_with_the_rule(
    client, coordinator, active_agreement
):
    client.force_login(coordinator)
    before = active_agreement.end_on

    response = client.post(
        reverse("homeshare:extend", args=[active_agreement.pk]), {"new_end_on": "9999-12-31"}
    )

    assert response.status_code == 400
    assert "약정은 2년 뒤까지만" in response.content.decode()
    active_agreement.refresh_from_db()
    assert active_agreement.end_on == before
    page = client.get(reverse("homeshare:agreement", args=[active_agreement.pk]))
    assert page.status_code == 200


def test_the_extend_service_never_overflows_month_arithmetic(coordinator, active_agreement):
    agreement = services.extend_agreement(
        by=coordinator, agreement=active_agreement, new_end_on=date(9999, 12, 30)
    )

    assert agreement.end_on == date(9999, 12, 30)
    assert services.add_months(date(9999, 12, 30), 6) == date.max


def _apply_student(client, mapo, commute, proof, **extra):
    data = {
        "district": mapo.pk,
        "university": commute.pk,
        "enrolment_proof": proof,
        "gender": "female",
        "budget": 300000,
        "help_tasks": ["conversation"],
        "help_hours": 10,
        "meals": "sometimes",
        "languages": ["ko"],
        "available_from": date.today().isoformat(),
        "action": "draft",
    }
    return client.post(reverse("homeshare:apply", args=["student"]), {**data, **extra})


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00 an executable", b"%PDF-1.4 but nothing after the header"],
    ids=["exe-named-pdf", "pdf-header-only"],
)
def test_a_proof_that_is_not_a_real_pdf_is_refused_by_its_content(
    client, resident, mapo, commute, content
):
    from homeshare.models import StudentApplication

    client.force_login(resident)
    proof = SimpleUploadedFile("enrolment.pdf", content, content_type="application/pdf")

    response = _apply_student(client, mapo, commute, proof)

    assert response.status_code == 400
    assert "읽을 수 있는 PDF" in response.content.decode()
    assert not StudentApplication.objects.filter(applicant=resident).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("help_hours", "0", "도움 시간은 주 1~40시간"),
        ("help_hours", "200", "도움 시간은 주 1~40시간"),
        ("available_from", "2001-01-01", "입주 가능일은 지난 날짜일 수 없습니다"),
        ("budget", "99999999999", "사이의 금액을 입력하세요"),
    ],
)
def test_a_student_application_refuses_absurd_values(
    client, resident, mapo, commute, field, value, message
):
    from homeshare.models import StudentApplication

    client.force_login(resident)
    proof = SimpleUploadedFile("enrolment.pdf", PDF, content_type="application/pdf")

    response = _apply_student(client, mapo, commute, proof, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StudentApplication.objects.filter(applicant=resident).exists()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"help_hours": 0}, "homeshare_host_help_hours_range"),
        ({"help_hours": 200}, "homeshare_host_help_hours_range"),
        ({"min_term_months": 0}, "homeshare_host_term_range"),
        ({"min_term_months": 999}, "homeshare_host_term_range"),
        ({"rent": 10_000_001}, "homeshare_host_rent_range"),
    ],
)
def test_the_database_refuses_absurd_host_values(make_host, fields, constraint):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        make_host(**fields)

    assert constraint in str(refused.value)


def test_a_refused_constraint_is_shown_as_its_rule_never_its_name(rf, active_agreement):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db import IntegrityError, transaction
    from django.utils import translation

    from sharing_city.core.middleware import ConstraintErrorMiddleware

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Agreement.objects.filter(pk=active_agreement.pk).update(end_on=active_agreement.start_on)
    request = rf.post("/homeshare/coordinator/agreements/1/extend/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)

    with translation.override("ko"):
        response = ConstraintErrorMiddleware(lambda r: None).process_exception(
            request, refused.value
        )

    body = response.content.decode()
    assert response.status_code == 409
    assert "약정은 시작 후에 끝나야 합니다" in body
    assert "homeshare_agreement_dates" not in body


def test_reversed_agreement_dates_in_the_form_name_the_rule(client, coordinator, accepted, today):
    services.record_meeting(by=coordinator, match=accepted, meeting_on=today)
    client.force_login(coordinator)

    response = client.post(
        reverse("homeshare:create-agreement", args=[accepted.pk]),
        {
            "rent": 250000,
            "help_tasks": ["conversation"],
            "help_hours": 10,
            "start_on": today.isoformat(),
            "end_on": (today - timedelta(days=10)).isoformat(),
            "trial_days": 30,
            "notice_days_trial": 7,
            "notice_days": 30,
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "약정은 시작 후에 끝나야 합니다" in body
    assert "homeshare_agreement_dates" not in body
    assert not Agreement.objects.exists()


def test_every_constraint_a_person_can_hit_carries_a_message():
    from django.apps import apps
    from django.db import models
    from django.db.models import BaseConstraint

    from sharing_city.core.events import AuditEvent

    default = BaseConstraint.default_violation_error_message
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for app in ("homeshare",)
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, AuditEvent)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
        or (isinstance(constraint, models.UniqueConstraint) and constraint.condition is not None)
        if constraint.violation_error_message == default
    ]

    assert missing == []


@pytest.mark.parametrize(
    "term",
    [("9999-12-01", "9999-12-31"), ("2026-12-01", "9999-12-31"), ("2027-06-01", "2027-01-01")],
    ids=["year-9999", "ends-in-9999", "reversed"],
)
def test_a_matching_run_for_an_absurd_term_is_refused(client, coordinator, mapo, host_app, term):
    from homeshare.models import MatchingRun

    client.force_login(coordinator)
    body = {"district": mapo.code, "term_start": term[0], "term_end": term[1]}

    response = client.post(reverse("api:homeshare-runs"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not MatchingRun.objects.exists()
