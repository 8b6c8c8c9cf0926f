from celery import shared_task


@shared_task(name="accounts.retention", time_limit=3000, soft_time_limit=2700)
def retention() -> dict[str, int]:
    """The nightly retention sweep (sharing_city/accounts/rights.py run_retention)."""
    from .rights import run_retention

    return run_retention()
