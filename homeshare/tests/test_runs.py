"""Big matching runs leave the web request: queued, claimed once by a task, done or failed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homeshare import matching, services, tasks
from homeshare.exceptions import NotAllowed
from homeshare.models import Candidate, Event, MatchingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_run_input(today):
    return {
        "district": "",
        "term_start": today.isoformat(),
        "term_end": (today + timedelta(days=182)).isoformat(),
    }


def test_city_admin_starts_a_city_run_sees_it_queued_then_the_shortlist(
    client, city_admin, host_app, student_app, city_run_input, django_capture_on_commit_callbacks
):
    client.force_login(city_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("homeshare:run-matching"), city_run_input)

    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("homeshare:run", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-status="queued"' in page.content.decode()
    assert (run.status, run.district, Candidate.objects.count()) == ("queued", None, 0)
    assert len(queued) == 1  # the task, queued only once the run row is committed

    queued[0]()  # the worker (eager in tests) runs the task

    run.refresh_from_db()
    assert (run.status, run.hosts_count, run.students_count, run.attempts) == ("done", 1, 1, 1)
    assert run.started_at is not None and run.finished_at >= run.started_at
    page = client.get(reverse("homeshare:run", args=[run.pk]))
    assert host_app.applicant.full_name in page.content.decode()
    assert "data-status" not in page.content.decode()
    assert run.candidates.get().suggested


def test_a_district_run_above_the_threshold_is_queued_too(
    settings, coordinator, host_app, student_app, today, django_capture_on_commit_callbacks
):
    settings.HOMESHARE_MATCHING_ASYNC_PAIRS = 0
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = services.run_matching(
            by=coordinator,
            district=host_app.district,
            term_start=today,
            term_end=today + timedelta(182),
        )

    assert run.status == "queued"
    assert len(queued) == 1


def test_a_small_district_run_is_done_in_the_request(coordinator, host_app, student_app, today):
    run = services.run_matching(
        by=coordinator,
        district=host_app.district,
        term_start=today,
        term_end=today + timedelta(182),
    )

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 1)
    assert run.candidates.count() == 1


def test_running_the_task_twice_computes_the_run_once(
    city_admin, host_app, student_app, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_matching(
            by=city_admin, district=None, term_start=today, term_end=today + timedelta(182)
        )

    first = tasks.run_matching(run.pk)
    second = tasks.run_matching(run.pk)

    run.refresh_from_db()
    assert (first, second) == ("done", "skipped")
    assert (run.status, run.attempts) == ("done", 1)
    assert Candidate.objects.filter(run=run).count() == 1
    assert Event.objects.filter(action="matching_run").count() == 1


def test_a_run_another_worker_holds_is_left_alone_until_its_claim_is_stale(
    city_admin, host_app, student_app, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_matching(
            by=city_admin, district=None, term_start=today, term_end=today + timedelta(182)
        )
    started = timezone.now()
    MatchingRun.objects.filter(pk=run.pk).update(status="running", started_at=started, attempts=1)

    assert services.execute_run(run_id=run.pk, now=started + timedelta(minutes=5)) == "busy"
    run.refresh_from_db()
    assert (run.status, run.started_at, Candidate.objects.count()) == ("running", started, 0)

    later = started + services.run_claim_timeout() + timedelta(seconds=1)
    assert services.execute_run(run_id=run.pk, now=later) == "done"  # its worker died
    run.refresh_from_db()
    assert (run.status, run.attempts, Candidate.objects.count()) == ("done", 2, 1)


def test_a_run_whose_worker_dies_every_time_ends_failed(
    city_admin, host_app, student_app, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_matching(
            by=city_admin, district=None, term_start=today, term_end=today + timedelta(182)
        )
    started = timezone.now() - services.run_claim_timeout() - timedelta(minutes=1)
    MatchingRun.objects.filter(pk=run.pk).update(
        status="running", started_at=started, attempts=services.RUN_MAX_ATTEMPTS
    )

    assert services.execute_run(run_id=run.pk) == "failed"

    run.refresh_from_db()
    assert run.status == "failed" and "every attempt" in run.error


def test_a_failing_run_is_marked_failed_and_the_page_says_so(
    client,
    monkeypatch,
    city_admin,
    host_app,
    student_app,
    today,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_matching(
            by=city_admin, district=None, term_start=today, term_end=today + timedelta(182)
        )

    def out_of_memory(*args, **kwargs):
        raise MemoryError("no room for the matrix")

    monkeypatch.setattr(matching, "run", out_of_memory)
    assert tasks.run_matching(run.pk) == "failed"

    run.refresh_from_db()
    assert (run.status, Candidate.objects.count()) == ("failed", 0)
    assert "MemoryError" in run.error
    client.force_login(city_admin)
    page = client.get(reverse("homeshare:run", args=[run.pk]))
    assert page.status_code == 200
    assert 'data-status="failed"' in page.content.decode()


def test_a_coordinator_cannot_start_a_city_run_and_nothing_is_queued(
    coordinator, host_app, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued, pytest.raises(NotAllowed):
        services.run_matching(
            by=coordinator, district=None, term_start=today, term_end=today + timedelta(182)
        )

    assert MatchingRun.objects.count() == 0
    assert queued == []


def test_another_districts_coordinator_cannot_see_a_queued_run(
    client, coordinator_elsewhere, coordinator, host_app, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_matching(
            by=coordinator,
            district=host_app.district,
            term_start=today,
            term_end=today + timedelta(182),
        )
    client.force_login(coordinator_elsewhere)

    assert client.get(reverse("homeshare:run", args=[run.pk])).status_code == 403


def test_api_answers_202_for_a_queued_run(
    client, city_admin, host_app, student_app, city_run_input, django_capture_on_commit_callbacks
):
    client.force_login(city_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("api:homeshare-runs"),
            {**city_run_input, "district": None},
            content_type="application/json",
        )

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert MatchingRun.objects.get().status == "queued"
