"""Matching runs: score every free pair and store the shortlists, here or in the task.

Also the commute table the runs read, which staff correct.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District, User

from .. import matching, selectors
from ..access import can_coordinate, coordinated_districts
from ..exceptions import (
    InvalidInput,
    MatchRefused,
    NotAllowed,
)
from ..models import (
    Candidate,
    Exclusion,
    HostApplication,
    MatchingRun,
    RunStatus,
    StudentApplication,
)
from .common import _event, _now

log = logging.getLogger(__name__)
# Runs up to this many pairs keep every excluded pair with its reasons for the coordinator;
# bigger runs keep the counts per reason (the matcher still computes every reason).
KEEP_EXCLUSIONS_UP_TO = 10_000
# A run whose worker died this many times (out of memory, say) stays failed for the coordinator.
RUN_MAX_ATTEMPTS = 3


def run_matching(
    *,
    by: User,
    district: District | None,
    term_start: date,
    term_end: date,
    now: datetime | None = None,
) -> MatchingRun:
    """Score every approved, unmatched host and student pair and store the shortlists.

    Nothing is matched: the coordinator proposes from the shortlist. district=None means the
    whole city, which only a city admin coordinates. A city-wide run, or one with more than
    HOMESHARE_MATCHING_ASYNC_PAIRS host x student pairs, is returned `queued` and done by the
    `homeshare.run_matching` task after commit (seconds and a gigabyte at city scale: not a
    web request's work); a smaller one is done here and returned `done`.
    """
    now = _now(now)
    if term_end <= term_start:
        raise MatchRefused(_("The term must end after it starts."))
    if district is None:
        if not by.is_city_admin:
            raise NotAllowed()
    elif not can_coordinate(by, district):
        raise NotAllowed()
    with transaction.atomic(durable=True):
        run = MatchingRun.objects.create(
            district=district, term_start=term_start, term_end=term_end, run_by=by, run_at=now
        )
        _event("matching_requested", now, by, district, data={"run": run.pk})
        if (
            district is None
            or _pairs(_run_districts(run)) > settings.HOMESHARE_MATCHING_ASYNC_PAIRS
        ):
            from ..tasks import run_matching as task  # tasks import this module

            transaction.on_commit(lambda: task.delay(run.pk))
            return run
        run.status, run.started_at, run.attempts = RunStatus.RUNNING, now, 1
        run.save(update_fields=["status", "started_at", "attempts"])
        _compute_run(run, now)
    return run


def _run_districts(run: MatchingRun) -> models.QuerySet[District]:
    if run.district_id is None:
        return coordinated_districts(run.run_by)
    return District.objects.filter(pk=run.district_id)


def _pairs(districts: models.QuerySet[District]) -> int:
    """An upper bound of the run's size from two counts, without loading anybody."""
    hosts = HostApplication.objects.approved().in_districts(districts).count()
    students = StudentApplication.objects.approved().in_districts(districts).count()
    return hosts * students


def execute_run(*, run_id: int, now: datetime | None = None) -> str:
    """The task's work: claim the queued run, compute it, mark it done (or failed, visibly).

    Returns "done", "failed", "busy" (another worker is on it: look again later) or "skipped"
    (finished already). Safe to run twice or at once: the claim is one conditional UPDATE
    (queued -> running, or a running claim older than the task's hard time limit, whose worker
    died) and exactly one caller changes the row. The shortlists are written in one
    transaction with the `done` mark, so a worker killed mid-run leaves nothing half-written.
    """
    now = _now(now)
    stale = now - run_claim_timeout()
    claimable = models.Q(status=RunStatus.QUEUED) | models.Q(
        status=RunStatus.RUNNING, started_at__lt=stale, attempts__lt=RUN_MAX_ATTEMPTS
    )
    claimed = MatchingRun.objects.filter(claimable, pk=run_id).update(
        status=RunStatus.RUNNING, started_at=now, attempts=models.F("attempts") + 1
    )
    if claimed != 1:
        return _not_claimed(run_id, stale)
    run = MatchingRun.objects.select_related("run_by", "district").get(pk=run_id)
    try:
        _compute_run(run, now)
    except Exception as exc:  # the soft time limit too: the coordinator sees the run failed
        log.exception("matching run %s failed", run_id)
        _fail_run(run_id, now, f"{type(exc).__name__}: {exc}")
        return "failed"
    return "done"


def run_claim_timeout() -> timedelta:
    """Longer than the task's hard time limit, so a live run is never claimed twice."""
    return timedelta(seconds=settings.HOMESHARE_MATCHING_TIME_LIMIT + 60)


def _not_claimed(run_id: int, stale: datetime) -> str:
    dead_every_time = MatchingRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, started_at__lt=stale, attempts__gte=RUN_MAX_ATTEMPTS
    ).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped while matching, on every attempt.",
    )
    if dead_every_time:
        return "failed"
    running = MatchingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists()
    return "busy" if running else "skipped"


def _fail_run(run_id: int, claimed_at: datetime, error: str) -> None:
    MatchingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, started_at=claimed_at).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:300]
    )


def _compute_run(run: MatchingRun, now: datetime) -> None:
    """Score and assign (no lock held), then store the shortlists and mark the run done in one
    transaction, only while this caller's claim (status running, started_at) still stands."""
    started = time.perf_counter()
    districts = _run_districts(run)
    hosts = selectors.hosts_with_free_rooms(districts)
    students = list(selectors.unmatched_students(districts))
    commute = selectors.commute_table()
    on = run.run_at.date()
    host_profiles = [selectors.host_profile(h, free_rooms=free, on=on) for h, free in hosts]
    student_profiles = [selectors.student_profile(s) for s in students]
    term = matching.Term(run.term_start, run.term_end)
    result = matching.run(host_profiles, student_profiles, term, commute)
    with transaction.atomic():
        if (
            not MatchingRun.objects.select_for_update()
            .filter(pk=run.pk, status=RunStatus.RUNNING, started_at=run.started_at)
            .exists()
        ):
            return  # a later claim took the run over; its worker stores the result
        _store_candidates(run, result, hosts, students, host_profiles, student_profiles, commute)
        if len(hosts) * len(students) <= KEEP_EXCLUSIONS_UP_TO:
            _store_exclusions(run, result.scores.mask, hosts, students)
        run.hosts_count, run.students_count = len(hosts), len(students)
        run.total_score = round(result.total, 2)
        run.excluded_by_reason = result.excluded_by_reason
        run.status, run.finished_at, run.error = RunStatus.DONE, timezone.now(), ""
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save()
        _event(
            "matching_run",
            run.finished_at,
            run.run_by,
            run.district,
            data={"run": run.pk, "hosts": len(hosts), "students": len(students)},
        )


def _store_candidates(  # type: ignore[no-untyped-def]
    run, result, hosts, students, host_profiles, student_profiles, commute
) -> None:
    seen: dict[tuple[int, int], Candidate] = {}
    for shortlist in [*result.shortlist_for_host.values(), *result.shortlist_for_student.values()]:
        for c in shortlist:
            key = (c.host_index, c.student_index)
            if key in seen:
                continue
            seen[key] = Candidate(
                run=run,
                host_application=hosts[c.host_index][0],
                student_application=students[c.student_index],
                score=c.combined,
                host_score=c.host_side,
                student_score=c.student_side,
                suggested=c.assigned,
                reasons=matching.pair_reasons(
                    host_profiles[c.host_index], student_profiles[c.student_index], commute
                ),
            )
    Candidate.objects.bulk_create(seen.values())


def _store_exclusions(run, mask, hosts, students) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for si, hi in zip(*mask.nonzero(), strict=True):
        rows.append(
            Exclusion(
                run=run,
                host_application=hosts[int(hi)][0],
                student_application=students[int(si)],
                reasons=[r.name for r in matching.reasons_of(int(mask[si, hi]))],
            )
        )
    Exclusion.objects.bulk_create(rows)


def set_commute_minutes(
    *, by: User, commute_time: Any, minutes: int, now: datetime | None = None
) -> Any:
    """Staff correct a commute time; the next matching run uses it."""
    now = _now(now)
    if not (by.is_city_admin or by.role == "staff"):
        raise NotAllowed()
    if not 1 <= minutes <= 300:
        raise InvalidInput(_("Enter minutes between 1 and 300."))
    with transaction.atomic(durable=True):
        commute_time.minutes = minutes
        commute_time.updated_by = by
        commute_time.save(update_fields=["minutes", "updated_by", "updated_at"])
        _event("commute_updated", now, by, commute_time.district, data={"id": commute_time.pk})
    return commute_time
