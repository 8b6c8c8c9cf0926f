"""Closet sweeps, safe to run twice: each notice is unique per (subject, kind, step) in the
notice log, so a rerun or two beat processes create nothing new (notify_many inserts with
ON CONFLICT DO NOTHING and queues delivery only of what it inserted)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sharing_city.notifications.services import NoticeSpec, notify_many

from .models import FittingVisit, Rental


def reminder_step(starts_at: dt.datetime) -> str:
    """The slot's start in UTC, short enough for the notice log's step (20 characters)."""
    return starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M")


def sweep_fitting_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind renters of fittings in the next 24 hours; a moved visit has a new step."""
    now = now or timezone.now()
    visits = FittingVisit.objects.filter(
        state=FittingVisit.State.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(hours=24),
    ).select_related("slot")
    specs = [
        NoticeSpec(
            recipient_id=visit.member_id,
            subject_type="closets.fittingvisit",
            subject_id=visit.pk,
            kind="closet_fitting_reminder",
            step=reminder_step(visit.slot.starts_at),
        )
        for visit in visits
    ]
    return notify_many(specs, now=now)


def sweep_follow_ups(*, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """The day after the interview, ask each renter how it went (step ""); still unanswered
    CLOSET_OUTCOME_ASK_AGAIN_DAYS later, ask once more (step "again"). Never a third time."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    again = today - dt.timedelta(days=1 + settings.CLOSET_OUTCOME_ASK_AGAIN_DAYS)
    rentals = Rental.objects.awaiting_outcome(today).only("pk", "member_id", "interview_date")
    specs = [
        NoticeSpec(
            recipient_id=rental.member_id,
            subject_type="closets.rental",
            subject_id=rental.pk,
            kind="closet_follow_up",
            step=step,
        )
        for rental in rentals
        for step in ("", "again")
        if step == "" or (rental.interview_date is not None and rental.interview_date <= again)
    ]
    return notify_many(specs, now=now)
