"""Time-driven lending work, run by Celery beat (lending/tasks.py).

Each notice sweep is one INSERT ... SELECT (notify_query): the candidates (an index range on
open loans' due dates, NOT EXISTS against the notice log) become notice rows inside PostgreSQL,
and only the new rows' ids come back to Python to be queued for delivery. Each is
safe to run twice or concurrently: notices are unique per (subject, kind, step, recipient,
channel) and inserted with ON CONFLICT DO NOTHING; state changes go through the lending
services, which lock the row and return early when the work is already done. The send-time
re-check (lending.notices) covers whatever changes between the sweep and the send.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from sharing_city.notifications.models import Notice
from sharing_city.notifications.services import NoticeSpec, notify_many, notify_query

from . import notices
from .models import Booking, Loan, Place, PlaceRole
from .services.bookings import expire_booking, make_ready
from .services.overdue import mark_presumed_lost

CHUNK = 2000


def _notice_for(subject_type: str, kind: str, step: Any) -> Exists:
    """A notice of this kind and step exists for the outer row (a loan or a booking)."""
    return Exists(
        Notice.objects.filter(
            subject_type=subject_type,
            subject_id=Cast(OuterRef("pk"), CharField()),
            kind=kind,
            step=step,
        )
    )


def _notify(rows: QuerySet[Any], subject_type: str, kind: str, step: Any, now: dt.datetime) -> int:
    """One INSERT ... SELECT of the candidates' notices (see notify_query)."""
    candidates = rows.values(
        n_recipient=F("member_id"),
        n_subject=Cast("pk", CharField()),
        n_step=step if hasattr(step, "resolve_expression") else Value(step, CharField()),
    )
    return notify_query(candidates, subject_type=subject_type, kind=kind, now=now)


def due_soon_candidates(today: dt.date, days_before: int) -> QuerySet[Loan]:
    due = today + dt.timedelta(days=days_before)
    step = notices.loan_step(-days_before, due)
    return (
        Loan.objects.due_on(due)
        .exclude(_notice_for("loan", notices.DUE_SOON, Value(step)))
        .order_by()
    )


def sweep_due_soon(*, now: dt.datetime | None = None) -> int:
    """The day before and on the due day (LENDING_DUE_SOON_DAYS)."""
    now = now or timezone.now()
    today, created = timezone.localdate(now), 0
    for days_before in settings.LENDING_DUE_SOON_DAYS:
        step = notices.loan_step(-days_before, today + dt.timedelta(days=days_before))
        rows = due_soon_candidates(today, days_before)
        created += _notify(rows, "loan", notices.DUE_SOON, step, now)
    return created


def _overdue_windows() -> list[tuple[int, int]]:
    """Each step covers loans late by [step, next step): a sweep missed for a day (an outage)
    still sends the step that applies, and no loan gets a step twice or an old one late."""
    steps = sorted(settings.LENDING_OVERDUE_STEPS)
    ends = [*steps[1:], settings.LENDING_PRESUMED_LOST_DAYS]
    return list(zip(steps, ends, strict=True))


def _overdue_step(step: int, due_date: Any) -> Concat:
    """notices.loan_step in SQL: "+7_2026-11-20"."""
    return Concat(Value(f"{step:+d}_"), Cast(due_date, CharField()))


def overdue_candidates(today: dt.date, step: int, until: int) -> QuerySet[Loan]:
    step_of_loan = _overdue_step(step, OuterRef("due_date"))
    return (
        Loan.objects.open()
        .filter(
            due_date__lte=today - dt.timedelta(days=step),
            due_date__gt=today - dt.timedelta(days=until),
        )
        .exclude(_notice_for("loan", notices.OVERDUE, step_of_loan))
        .order_by()
    )


def sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Overdue notices at +1, +7 and +14 days (LENDING_OVERDUE_STEPS)."""
    now = now or timezone.now()
    today, created = timezone.localdate(now), 0
    for step, until in _overdue_windows():
        rows = overdue_candidates(today, step, until)
        created += _notify(rows, "loan", notices.OVERDUE, _overdue_step(step, "due_date"), now)
    return created


def sweep_presumed_lost(*, now: dt.datetime | None = None) -> int:
    """Loans late by LENDING_PRESUMED_LOST_DAYS: the item becomes missing, staff are told."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - dt.timedelta(days=settings.LENDING_PRESUMED_LOST_DAYS)
    candidates = Loan.objects.open().filter(due_date__lte=cutoff).values_list("pk", "item_id")
    marked = 0
    for pk, item_id in candidates.iterator(chunk_size=CHUNK):
        loan = mark_presumed_lost(loan=Loan(pk=pk, item_id=item_id), now=now)
        # Closed at our `now` means this run closed it, not a concurrent one.
        marked += loan.outcome == Loan.Outcome.LOST and loan.returned_at == now
    return marked


def sweep_bookings_ready(*, now: dt.datetime | None = None) -> int:
    """Dated bookings whose day has come and whose item is in become ready; every ready
    booking without its notice gets one (the on-commit hook's safety net)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    item_out = Loan.objects.open().filter(item=OuterRef("item"))
    starting = Booking.objects.filter(
        status=Booking.Status.REQUESTED, start_date__lte=today, item__isnull=False
    ).exclude(Exists(item_out))
    for pk in starting.values_list("pk", flat=True).iterator(chunk_size=CHUNK):
        make_ready(booking=Booking(pk=pk), now=now)
    unannounced = (
        Booking.objects.ready()
        .exclude(_notice_for("booking", notices.BOOKING_READY, Value("")))
        .order_by()
    )
    return _notify(unannounced, "booking", notices.BOOKING_READY, "", now)


def sweep_pickup_reminders(*, now: dt.datetime | None = None) -> int:
    """On the last day to collect, unless the booking became ready only today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    step = today.isoformat()
    rows = (
        Booking.objects.ready()
        .filter(pickup_deadline=today, ready_at__lt=start_of_today)
        .exclude(_notice_for("booking", notices.PICKUP_REMINDER, Value(step)))
        .order_by()
    )
    return _notify(rows, "booking", notices.PICKUP_REMINDER, step, now)


def sweep_expired_bookings(*, now: dt.datetime | None = None, notice_days: int = 7) -> int:
    """Uncollected bookings past their deadline expire (the item goes to the next in line,
    whose ready notice follows); members of bookings expired lately without a notice get one.
    The second step is separate so a crash between expiring and notifying loses nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for pk in Booking.objects.uncollected(today).values_list("pk", flat=True).iterator():
        expire_booking(booking=Booking(pk=pk), now=now)
    rows = (
        Booking.objects.filter(
            status=Booking.Status.EXPIRED, closed_at__gte=now - dt.timedelta(days=notice_days)
        )
        .exclude(_notice_for("booking", notices.BOOKING_EXPIRED, Value("")))
        .order_by()
    )
    return _notify(rows, "booking", notices.BOOKING_EXPIRED, "", now)


def _to_volunteers(places: QuerySet[Place], kind: str, step: str, now: dt.datetime) -> int:
    rows = PlaceRole.objects.filter(place__in=places, user__is_active=True).values_list(
        "user_id", "place_id"
    )
    return notify_many(
        (NoticeSpec(user_id, "place", place_id, kind, step) for user_id, place_id in rows),
        now=now,
    )


def sweep_place_overdue_lists(*, now: dt.datetime | None = None) -> int:
    """Each morning, each place with overdue loans sends the list to its volunteers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    late_here = Loan.objects.overdue(today).filter(place=OuterRef("pk"))
    places = Place.objects.active().filter(Exists(late_here))
    return _to_volunteers(places, notices.PLACE_OVERDUE_LIST, today.isoformat(), now)


def sweep_place_digests(*, now: dt.datetime | None = None) -> int:
    """Each morning: today's pickups, returns due, overdue and repairs, to each place's
    volunteers (a place with nothing to do is skipped at send time)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    places = Place.objects.active().filter(Q(roles__isnull=False)).distinct()
    return _to_volunteers(places, notices.PLACE_DIGEST, today.isoformat(), now)
