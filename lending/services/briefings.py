"""Safety briefings recorded at the desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lending import access
from lending.models import Briefing, Category, Event, Place

from .common import (
    _event,
)


def record_briefing(
    *, member: Any, category: Category, by: Any, place: Place, now: dt.datetime | None = None
) -> Briefing:
    """A volunteer briefed the member on a category's items. Recording it twice keeps one."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        access.require_work_at(by, place)
        briefing, created = Briefing.objects.get_or_create(
            member=member,
            category=category,
            defaults={"briefed_by": by, "place": place, "briefed_at": now},
        )
        if created:
            _event(
                Event.Action.BRIEFING,
                now,
                by,
                member=member,
                place=place,
                data={"category": category.slug},
            )
    return briefing
