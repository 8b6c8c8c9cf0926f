"""Celery entry points of the lending sweeps (schedule: CELERY_BEAT_SCHEDULE in settings).

Each task takes no arguments or ids, calls one sweep, and is safe to run twice or at once,
so acks_late is on: a worker killed mid-sweep leaves the task to be delivered again.
"""

from celery import shared_task

from . import sweeps

LIMITS = {"acks_late": True, "time_limit": 900, "soft_time_limit": 840}


@shared_task(name="lending.sweep_due_soon", **LIMITS)
def sweep_due_soon() -> int:
    return sweeps.sweep_due_soon()


@shared_task(name="lending.sweep_overdue", **LIMITS)
def sweep_overdue() -> int:
    return sweeps.sweep_overdue()


@shared_task(name="lending.sweep_presumed_lost", **LIMITS)
def sweep_presumed_lost() -> int:
    return sweeps.sweep_presumed_lost()


@shared_task(name="lending.sweep_bookings_ready", **LIMITS)
def sweep_bookings_ready() -> int:
    return sweeps.sweep_bookings_ready()


@shared_task(name="lending.sweep_pickup_reminders", **LIMITS)
def sweep_pickup_reminders() -> int:
    return sweeps.sweep_pickup_reminders()


@shared_task(name="lending.sweep_expired_bookings", **LIMITS)
def sweep_expired_bookings() -> int:
    return sweeps.sweep_expired_bookings()


@shared_task(name="lending.sweep_place_overdue_lists", **LIMITS)
def sweep_place_overdue_lists() -> int:
    return sweeps.sweep_place_overdue_lists()


@shared_task(name="lending.sweep_place_digests", **LIMITS)
def sweep_place_digests() -> int:
    return sweeps.sweep_place_digests()
