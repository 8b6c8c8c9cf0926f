"""Under real concurrency (PostgreSQL): one student, many simultaneous proposals, one match."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from homeshare import services
from homeshare.exceptions import MatchRefused
from homeshare.models import Candidate, Match

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_proposals_of_one_student_give_exactly_one_match(
    coordinator, make_host, student_app, today
):
    for i in range(6):
        make_host(f"host{i}")
    run = services.run_matching(
        by=coordinator,
        district=coordinator.district,
        term_start=today,
        term_end=today + timedelta(days=200),
    )
    candidates = list(Candidate.objects.filter(run=run, student_application=student_app))
    assert len(candidates) >= 5
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def propose(candidate: Candidate) -> None:
        try:
            barrier.wait()
            services.propose_match(by=coordinator, candidate=candidate)
            outcomes.append("ok")
        except MatchRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(c,)) for c in candidates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok"] + ["refused"] * (len(candidates) - 1)
    assert Match.objects.filter(student_application=student_app).count() == 1
