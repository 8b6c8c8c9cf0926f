"""Time-driven home-share work. Each task is safe to run twice (see reminders.py)."""

from __future__ import annotations

from datetime import date

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from . import reminders, services


@shared_task(
    name="homeshare.send_check_in_reminders", acks_late=True, time_limit=300, soft_time_limit=240
)
def send_check_in_reminders(today: str | None = None) -> int:
    """Create the reminder rows due by today, then send each one that this worker can claim."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    reminders.create_due_reminders(day)
    return sum(reminders.send_reminder(pk) for pk in reminders.pending_ids())


@shared_task(
    bind=True,
    name="homeshare.run_matching",
    acks_late=True,
    time_limit=settings.HOMESHARE_MATCHING_TIME_LIMIT,
    soft_time_limit=settings.HOMESHARE_MATCHING_TIME_LIMIT - 30,
    max_retries=None,
)
def run_matching(self: Task, run_id: int) -> str:
    """Do one queued matching run (claimed with a conditional UPDATE; see services.execute_run).

    A copy delivered while another worker is still on the run looks again once that worker's
    claim could have gone stale, so a run whose worker died is taken over, not left running.
    """
    outcome = services.execute_run(run_id=run_id)
    if outcome == "busy":
        raise self.retry(countdown=services.run_claim_timeout().total_seconds())
    return outcome
