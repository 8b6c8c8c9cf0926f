"""The cash book's close-out: the day's count against what the book says is held."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lending import access
from lending.models import Place

from ..exceptions import (
    CheckedByAnother,
    DayAlreadyClosed,
    DayNotOver,
    DifferenceNeedsNote,
    NothingToCheck,
)
from ..models import CloseOut, DeskEvent


def close_day(
    *,
    place: Place,
    day: dt.date,
    counted: Decimal,
    by: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> CloseOut:
    """Record the day's cash count against what the cash book says is held. A difference
    needs a note; each place and day is closed once (the database's unique pair)."""
    from ..selectors import cash_day

    now = now or timezone.now()
    access.require_work_at(by, place)
    if day > timezone.localdate(now):
        raise DayNotOver
    book = cash_day(place, day)
    if counted != book.held_after and not note.strip():
        raise DifferenceNeedsNote
    try:
        with transaction.atomic():
            close_out = CloseOut.objects.create(
                place=place,
                day=day,
                expected=book.held_after,
                counted=counted,
                note=note.strip(),
                closed_at=now,
                closed_by=by,
            )
    except IntegrityError as exc:
        raise DayAlreadyClosed from exc
    DeskEvent.objects.create(
        action="close_out",
        at=now,
        actor=by,
        place=place,
        close_out=close_out,
        data={"day": day.isoformat(), "expected": str(book.held_after), "counted": str(counted)},
    )
    return close_out


def check_close_out(
    *, place: Place, day: dt.date, by: Any, now: dt.datetime | None = None
) -> CloseOut:
    """A second volunteer confirms the count: never the one who closed the day."""
    now = now or timezone.now()
    access.require_work_at(by, place)
    with transaction.atomic():
        close_out = (
            CloseOut.objects.select_for_update()
            .filter(place=place, day=day, checked_by__isnull=True)
            .first()
        )
        if close_out is None:
            raise NothingToCheck
        if close_out.closed_by_id == by.pk:
            raise CheckedByAnother
        close_out.checked_by = by
        close_out.checked_at = now
        close_out.save(update_fields=["checked_by", "checked_at"])
        DeskEvent.objects.create(
            action="close_out_checked", at=now, actor=by, place=place, close_out=close_out
        )
    return close_out
