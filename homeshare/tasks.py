"""Time-driven home-share work. Each task is safe to run twice (see reminders.py)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task(
    name="homeshare.send_check_in_reminders", acks_late=True, time_limit=300, soft_time_limit=240
)
def send_check_in_reminders(today: str | None = None) -> int:
    """Create the reminder rows due by today, then send each one that this worker can claim."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    reminders.create_due_reminders(day)
    return sum(reminders.send_reminder(pk) for pk in reminders.pending_ids())
