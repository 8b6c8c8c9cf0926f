"""Input the fuzzer (bin/run-schemathesis) found the home-share API mishandling: each is a 4xx
that changes nothing, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from homeshare.models import MatchingRun

pytestmark = pytest.mark.django_db


def test_a_run_without_a_district_is_the_whole_city_and_refused_to_a_district_coordinator(
    client, coordinator, host_app, student_app, today
):
    """Found by schemathesis: leaving `district` out was a TypeError (500)."""
    client.force_login(coordinator)
    term = {"term_start": today.isoformat(), "term_end": (today + timedelta(days=200)).isoformat()}

    response = client.post(reverse("api:homeshare-runs"), term)

    assert response.status_code == 403
    assert MatchingRun.objects.count() == 0


def test_a_city_admin_runs_the_whole_city_by_leaving_the_district_out(
    client, city_admin, host_app, student_app, today, django_capture_on_commit_callbacks
):
    client.force_login(city_admin)
    term = {"term_start": today.isoformat(), "term_end": (today + timedelta(days=200)).isoformat()}

    with django_capture_on_commit_callbacks():
        response = client.post(reverse("api:homeshare-runs"), term, content_type="application/json")

    assert response.status_code == 202  # city-wide runs are queued for a worker
    assert response.json()["district"] is None
    assert MatchingRun.objects.get().district is None


def test_a_district_code_that_is_not_a_code_is_a_400(client, coordinator, today):
    client.force_login(coordinator)
    body = {"district": "11440/../x", "term_start": "2026-01-01", "term_end": "2026-12-01"}

    response = client.post(reverse("api:homeshare-runs"), body, content_type="application/json")

    assert response.status_code == 400
    assert "district" in response.json()["detail"]
    assert MatchingRun.objects.count() == 0
