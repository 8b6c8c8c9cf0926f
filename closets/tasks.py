"""Time-driven closet work; each task is safe to run twice (see reminders.py)."""

from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="closets.send_follow_ups", acks_late=True, time_limit=300, soft_time_limit=240)
def send_follow_ups() -> int:
    """ "How did it go?" to renters whose interview date has passed."""
    return reminders.sweep_follow_ups()


@shared_task(
    name="closets.send_fitting_reminders", acks_late=True, time_limit=300, soft_time_limit=240
)
def send_fitting_reminders() -> int:
    """The day-before reminder of each booked fitting."""
    return reminders.sweep_fitting_reminders()
