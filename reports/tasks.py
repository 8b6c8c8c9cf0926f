"""Celery entry points of the reports (schedule: CELERY_BEAT_SCHEDULE in settings).

Warming only recomputes cached figures: it writes no data. The rollups' refresh and rebuild
take a lock and read one snapshot of the loans (reports.rollups), so running either twice or
at once is harmless; acks_late is on for all three.
"""

from celery import shared_task

from . import rollups, selectors


@shared_task(
    name="reports.warm_public_figures", acks_late=True, time_limit=600, soft_time_limit=540
)
def warm_public_figures() -> int:
    return selectors.warm_public_figures()


@shared_task(
    name="reports.refresh_report_rollups", acks_late=True, time_limit=600, soft_time_limit=540
)
def refresh_report_rollups() -> int:
    """Add the loans returned or made since the last refresh to the rollups, then warm the
    public figures from them (so the cached figures are never older than the rollups)."""
    rollups.refresh()
    return selectors.warm_public_figures()


@shared_task(
    name="reports.rebuild_report_rollups", acks_late=True, time_limit=3000, soft_time_limit=2700
)
def rebuild_report_rollups() -> int:
    """Make the rollups again from every loan (catalogue corrections move past loans)."""
    return rollups.rebuild().last_loan_id
