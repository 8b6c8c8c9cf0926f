"""What a volunteer checks in person at the desk: safety briefings and a member's ID."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lending import access
from lending.models import Briefing, Category, Event, IdDocument, Place

from .common import (
    _event,
    _lock_member,
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


def verify_member(
    *, member: Any, document: str, by: Any, place: Place, now: dt.datetime | None = None
) -> bool:
    """A volunteer saw the member's ID (and that its address matches): the member is verified.

    The Event row is the record of who saw which document, where and when; the ID's number is
    never stored. Returns False, recording nothing, when the member was already verified."""
    now = now or timezone.now()
    if document not in IdDocument.values:
        raise ValueError(f"unknown identity document {document!r}")
    with transaction.atomic(durable=True):
        access.require_work_at(by, place)
        locked = _lock_member(member)
        member.is_verified = True
        if locked.is_verified:
            return False
        type(locked).objects.filter(pk=member.pk).update(is_verified=True)
        _event(
            Event.Action.VERIFY, now, by, member=member, place=place, data={"document": document}
        )
    return True
