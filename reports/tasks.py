"""Celery entry point of the reports (schedule: CELERY_BEAT_SCHEDULE in settings).

Warming only recomputes cached figures: it writes no data, so running it twice or at once is
harmless and acks_late is on.
"""

from celery import shared_task

from . import selectors


@shared_task(
    name="reports.warm_public_figures", acks_late=True, time_limit=600, soft_time_limit=540
)
def warm_public_figures() -> int:
    return selectors.warm_public_figures()
