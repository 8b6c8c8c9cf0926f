"""Settings that must agree with each other, or notices are sent twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def delivery_timeouts_agree(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    problems = []
    longest = max(settings.CELERY_TASK_TIME_LIMIT, settings.NOTICE_DELIVERY_TIME_LIMIT)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility is not None and visibility <= longest:
        problems.append(
            Warning(
                "The broker's visibility_timeout is not longer than the longest task: "
                "a slow task would be delivered to a second worker while still running.",
                hint="Raise CELERY_VISIBILITY_TIMEOUT above CELERY_TASK_TIME_LIMIT.",
                id="notifications.W001",
            )
        )
    if settings.NOTICE_STALE_CLAIM.total_seconds() <= settings.NOTICE_DELIVERY_TIME_LIMIT:
        problems.append(
            Warning(
                "NOTICE_STALE_CLAIM is not longer than the delivery time limit: a slow but "
                "live delivery could be claimed again and sent twice.",
                id="notifications.W002",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Notice links and calendar URLs are built from SITE_URL: a guessed one sends people to
    127.0.0.1."""
    if getattr(settings, "SITE_URL_IS_SET", True):
        return []
    return [
        Error(
            "SITE_URL is not set: links in notices and the calendar feed would point to "
            f"{settings.SITE_URL}.",
            hint="Set SITE_URL to the public address, such as https://share.example.",
            id="notifications.E001",
        )
    ]
