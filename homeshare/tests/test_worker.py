"""A real Celery worker on Redis does a queued city-wide run; the task delivered twice computes
it once (the claim is a conditional UPDATE), and the page's row goes queued -> done."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from celery import Celery

from homeshare.models import Candidate, Event, MatchingRun
from sharing_city.notifications.tests.test_worker import Worker, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(tmp_path):
    w = Worker(tmp_path, queue=f"homeshare-test-{uuid.uuid4().hex[:8]}")
    w.env["CELERY_DEFAULT_QUEUE"] = w.queue  # the run's notice deliveries stay on its queue
    yield w
    w.stop()


def test_a_real_worker_does_a_run_delivered_twice_once(
    worker, city_admin, host_app, student_app, today
):
    run = MatchingRun.objects.create(
        district=None, term_start=today, term_end=today + timedelta(days=182), run_by=city_admin
    )
    broker = Celery(broker=os.environ["REDIS_URL"])
    for _ in range(2):  # a duplicate delivery, as after a broker redelivery
        broker.send_task("homeshare.run_matching", args=[run.pk], queue=worker.queue)

    worker.start()

    def done() -> bool:
        run.refresh_from_db()
        return run.status == "done"

    wait_for(done, "the run to be done")
    assert (run.hosts_count, run.students_count, run.attempts) == (1, 1, 1)
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert Candidate.objects.filter(run=run).count() == 1
    assert Event.objects.filter(action="matching_run").count() == 1
    broker.close()
