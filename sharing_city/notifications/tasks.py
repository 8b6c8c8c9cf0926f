"""Background delivery. Both tasks are safe to run twice or at once: the delivery claim is a
conditional UPDATE, so only then is acks_late on (a task killed mid-run is delivered again)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    time_limit=settings.NOTICE_DELIVERY_TIME_LIMIT,
    soft_time_limit=settings.NOTICE_DELIVERY_TIME_LIMIT - 10,
)
def deliver(notice_id: int) -> str:
    return services.deliver_notice(notice_id)


@shared_task(
    name="notifications.deliver_many",
    acks_late=True,
    time_limit=settings.NOTICE_DELIVERY_TIME_LIMIT,
    soft_time_limit=settings.NOTICE_DELIVERY_TIME_LIMIT - 10,
)
def deliver_many(notice_ids: list[int]) -> int:
    """A sweep's chunk; stops claiming at half the time limit and queues the rest."""
    return services.deliver_chunk(notice_ids, budget=settings.NOTICE_DELIVERY_TIME_LIMIT / 2)


@shared_task(name="notifications.redeliver", acks_late=True, time_limit=120, soft_time_limit=100)
def redeliver() -> int:
    return services.redeliver_due()
