"""Time-driven voice work. Safe to run twice (see reminders.py)."""

from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="voice.remind_unanswered", acks_late=True, time_limit=300, soft_time_limit=240)
def remind_unanswered() -> int:
    """Remind staff of asks unanswered after VOICE_REMIND_AFTER_DAYS working days."""
    return reminders.remind_unanswered()
