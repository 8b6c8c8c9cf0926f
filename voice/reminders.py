"""Reminding staff of asks left unanswered after N working days (VOICE_REMIND_AFTER_DAYS).

Working days skip weekends and, for an ask routed to a place, the place's closure days
(lending's Closure rows: holidays, events). Safe to run twice: the notice log holds one row
per (ask, kind, step, recipient), and `reminded_step` records the step already made.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lending.models import Closure
from lending.notices import staff_of_place
from sharing_city.accounts.models import Role, User
from sharing_city.core import bounds
from sharing_city.core.events import SYSTEM

from . import notices
from .models import Ask, VoiceEvent


def working_days_between(start: dt.date, end: dt.date, closed: set[dt.date]) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, bounds.add_days(start, 1)
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            count += 1
        day = bounds.add_days(day, 1)
        if day == dt.date.max:
            break
    return count


def _staff_for(ask: Ask) -> list[int]:
    if ask.routed_place is not None:
        return staff_of_place(ask.routed_place)
    staff = User.objects.filter(is_active=True, role=Role.STAFF, district=ask.routed_district)
    return list(staff.values_list("pk", flat=True))


def remind_unanswered(*, now: dt.datetime | None = None) -> int:
    """Notices made for asks that reached the step today; returns how many asks."""
    now = now or timezone.now()
    days = settings.VOICE_REMIND_AFTER_DAYS
    today = timezone.localdate(now)
    # N working days after the day asked need at least N calendar days: a cheap first cut.
    first_day = dt.datetime.combine(bounds.add_days(today, 1 - days), dt.time.min)
    cutoff = timezone.make_aware(first_day)
    candidates = (
        Ask.objects.unanswered()
        .filter(created_at__lt=cutoff, reminded_step__lt=days)
        .select_related("routed_place", "routed_district")
    )
    reminded = 0
    for ask in candidates.iterator():
        asked_on = timezone.localdate(ask.created_at)
        closed: set[dt.date] = set()
        if ask.routed_place_id:
            closed = set(
                Closure.objects.filter(
                    Q(place_id=ask.routed_place_id), date__gt=asked_on, date__lte=today
                ).values_list("date", flat=True)
            )
        if working_days_between(asked_on, today, closed) < days:
            continue
        with transaction.atomic(durable=True):
            changed = Ask.objects.filter(pk=ask.pk, reminded_step__lt=days).update(
                reminded_step=days
            )
            if changed != 1:  # another run took it
                continue
            notices.tell(_staff_for(ask), ask, notices.UNANSWERED, days, now)
            VoiceEvent.objects.create(
                at=now,
                who=SYSTEM,
                action=VoiceEvent.Action.REMINDED,
                ask=ask,
                place=ask.routed_place,
                district=ask.routed_district,
                data={"days": days},
            )
        reminded += 1
    return reminded
