from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task(name="core.heartbeat", time_limit=30, soft_time_limit=20)
def heartbeat() -> str:
    """Beat queues this every minute; the worker running it proves the pipeline is alive."""
    stamp = timezone.now().isoformat()
    cache.set("core:last-heartbeat", stamp, timeout=None)
    return stamp


@shared_task(name="core.forget_once_requests", time_limit=300, soft_time_limit=240)
def forget_once_requests() -> int:
    """Double-submit keys are kept a day; beat runs this hourly."""
    from sharing_city.core.once import forget_old

    return forget_old()
