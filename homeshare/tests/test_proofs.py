"""Proofs of enrolment are private: stored outside MEDIA_ROOT under a random name, and
downloaded only by the student, their district's coordinators and city admins."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve

from homeshare.models import StudentApplication

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 enrolment of a real student"


@pytest.fixture
def proof_app(make_student):
    app = make_student()
    app.enrolment_proof = SimpleUploadedFile("my-enrolment.PDF", CONTENT)
    app.save()
    return app


def download(client, app):
    return client.get(reverse("homeshare:enrolment-proof", args=[app.pk]))


def test_the_file_is_outside_media_root_under_a_random_name(proof_app):
    stored = Path(proof_app.enrolment_proof.path).resolve()

    assert stored.read_bytes() == CONTENT
    assert stored.is_relative_to(Path(settings.HOMESHARE_PRIVATE_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "my-enrolment" not in proof_app.enrolment_proof.name
    assert proof_app.enrolment_proof.name.endswith(".pdf")
    with pytest.raises(ValueError):
        proof_app.enrolment_proof.url  # no URL exists for a private file


def test_media_serving_cannot_reach_the_proof(proof_app):
    """What DEBUG's media URL does: serve from MEDIA_ROOT. The proof is not there."""
    request = RequestFactory().get("/media/" + proof_app.enrolment_proof.name)

    with pytest.raises(Http404):
        serve(request, proof_app.enrolment_proof.name, document_root=settings.MEDIA_ROOT)


@pytest.mark.parametrize("who", ["student", "coordinator", "city_admin"])
def test_the_student_and_their_coordinators_download_it(client, request, proof_app, who):
    user = proof_app.applicant if who == "student" else request.getfixturevalue(who)
    client.force_login(user)

    response = download(client, proof_app)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"enrolment-S{proof_app.pk}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["coordinator_elsewhere", "resident", "staff", "host"])
def test_anyone_else_is_refused(client, request, proof_app, make_host, who):
    user = make_host().applicant if who == "host" else request.getfixturevalue(who)
    client.force_login(user)

    response = download(client, proof_app)

    assert response.status_code == 403
    assert CONTENT not in response.content


def test_anonymous_is_sent_to_log_in_and_gets_no_file(client, proof_app):
    response = download(client, proof_app)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert CONTENT not in response.content


def test_no_proof_or_no_application_is_404(client, make_student, coordinator):
    app = make_student()
    client.force_login(coordinator)

    assert download(client, app).status_code == 404
    assert client.get(reverse("homeshare:enrolment-proof", args=[999_999])).status_code == 404


def test_replacing_the_proof_keeps_it_private(client, proof_app):
    proof_app.enrolment_proof = SimpleUploadedFile("second.png", b"\x89PNG second")
    proof_app.save()
    client.force_login(proof_app.applicant)

    response = download(client, StudentApplication.objects.get(pk=proof_app.pk))

    assert b"".join(response.streaming_content) == b"\x89PNG second"
    assert not Path(settings.MEDIA_ROOT, proof_app.enrolment_proof.name).exists()
