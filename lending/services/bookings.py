"""Bookings by date and queue holds: book, hold, ready, cancel, expire."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from lending import access
from lending.exceptions import (
    BeyondHorizon,
    BookingClosed,
    BookingDatesInvalid,
    BookingLimitReached,
    BookingTooLong,
    ClosetFittingOnly,
    ItemNotAvailable,
    MemberBlocked,
    NoCopyHere,
    NotAtYourPlace,
    PlaceClosed,
)
from lending.models import Booking, Event, Item, Loan, Occupancy, Place, Title
from lending.opening import closed_days, next_open_day
from lending.rules import rule_for

from .common import (
    _event,
    _lock_item,
    _lock_member,
    _occupy,
    _today,
    member_blocks,
    on_booking_made,
    on_booking_ready,
)


def book(
    *,
    member: Any,
    by: Any,
    start: dt.date,
    end: dt.date,
    item: Item | None = None,
    title: Title | None = None,
    place: Place | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book an item, or any free copy of a title, for [start, end] (inclusive dates).

    Guarantee: bookings and loans of one item never overlap, turnaround buffer included.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        return _book(
            member=member, by=by, start=start, end=end, item=item, title=title, place=place, now=now
        )


def _book(
    *,
    member: Any,
    by: Any,
    start: dt.date,
    end: dt.date,
    item: Item | None,
    title: Title | None,
    place: Place | None,
    now: dt.datetime,
    data: dict[str, Any] | None = None,
) -> Booking:
    """book()'s work inside the caller's transaction (a kit books several titles in one)."""
    today = _today(now)
    if item is None and title is None:
        raise BookingDatesInvalid
    if start < today or end < start:
        raise BookingDatesInvalid
    member = _lock_member(member)
    if by.pk != member.pk:
        target_place = item.place if item is not None else place
        if target_place is None:
            raise NotAtYourPlace
        access.require_work_at(by, target_place)
    candidates = _lock_candidates(item=item, title=title, place=place)
    if not candidates:
        raise ItemNotAvailable
    sample = candidates[0]
    if any(c.place.kind == Place.Kind.CLOSET for c in candidates):
        raise ClosetFittingOnly
    rule = rule_for(sample.title.category_id, sample.place_id)
    _check_booking_limits(member, rule, start=start, end=end, today=today)
    blocks = member_blocks(member, today=today, rule=rule, category=sample.title.category)
    blocks = [b for b in blocks if b != "briefing"]  # a briefing can happen at pickup
    if blocks:
        raise MemberBlocked(blocks)
    occupancy_end = end + dt.timedelta(days=1 + rule.turnaround_days)
    chosen = None
    closures: dict[int, PlaceClosed | None] = {}
    for candidate in candidates:
        if candidate.place_id not in closures:
            closures[candidate.place_id] = _closed_refusal(candidate.place, start, end)
        if closures[candidate.place_id] is not None:
            continue  # nobody there to hand it over or take it back on that day
        if (
            start <= today
            and Loan.objects.filter(item=candidate, returned_at__isnull=True).exists()
        ):
            continue  # out right now (perhaps overdue): cannot be handed over today
        if not Occupancy.objects.overlapping(candidate, start, occupancy_end).exists():
            chosen = candidate
            break
    if chosen is None and all(closures.get(c.place_id) for c in candidates):
        raise next(r for r in closures.values() if r is not None)
    if chosen is None:
        clash = (
            Occupancy.objects.filter(item__in=candidates, start__lt=occupancy_end, end__gt=start)
            .order_by("start")
            .first()
        )
        if clash is not None and len(candidates) == 1:
            raise ItemNotAvailable.booked_from(clash.start)
        raise ItemNotAvailable
    booking = Booking.objects.create(
        member=member,
        title=chosen.title,
        item=chosen,
        place=chosen.place,
        start_date=start,
        end_date=end,
        created_at=now,
    )
    _occupy(chosen, start, occupancy_end, booking=booking)
    _event(
        Event.Action.BOOK,
        now,
        by,
        member=member,
        place=chosen.place,
        item=chosen,
        booking=booking,
        data={"start": start.isoformat(), "end": end.isoformat(), **(data or {})},
    )
    for callback in on_booking_made:  # the confirmation notice, once the booking exists
        transaction.on_commit(partial(callback, booking))
    return booking


def _closed_refusal(place: Place, start: dt.date, end: dt.date) -> PlaceClosed | None:
    """Why the place cannot hand the item over on `start` or take it back on `end`."""
    closed = closed_days(place, start, end)
    for day in (start, end):
        if day in closed:
            return PlaceClosed(place_name=place.name, day=day, reason=closed[day])
    return None


def _lock_candidates(*, item: Item | None, title: Title | None, place: Place | None) -> list[Item]:
    """The copies a booking may take, locked in primary-key order (no deadlocks)."""
    qs = Item.objects.select_for_update(of=("self",)).select_related("title__category", "place")
    if item is not None:
        qs = qs.filter(pk=item.pk)
    else:
        qs = qs.filter(title=title)
        if place is not None:
            qs = qs.filter(place=place)
    return list(qs.filter(status=Item.Status.ACTIVE).order_by("pk"))


def _check_booking_limits(
    member: Any, rule: Any, *, start: dt.date, end: dt.date, today: dt.date
) -> None:
    from django.utils.translation import gettext

    if (end - start).days + 1 > rule.loan_days:
        raise BookingTooLong(
            gettext("A booking can last at most %(days)d days for this item.")
            % {"days": rule.loan_days}
        )
    if start > today + dt.timedelta(days=rule.booking_horizon_days):
        raise BeyondHorizon(
            gettext("Bookings open %(days)d days ahead; choose an earlier start.")
            % {"days": rule.booking_horizon_days}
        )
    active = Booking.objects.for_member(member).active().count()
    if active >= rule.max_active_bookings:
        raise BookingLimitReached(count=active, limit=rule.max_active_bookings)


def place_hold(
    *, member: Any, title: Title, place: Place, by: Any, now: dt.datetime | None = None
) -> Booking:
    """Join the queue for the next free copy of a title at a place. Joining twice is harmless."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        member = _lock_member(member)
        if by.pk != member.pk:
            access.require_work_at(by, place)
        existing = (
            Booking.objects.active()
            .filter(member=member, title=title, place=place)
            .queue_holds()
            .first()
        )
        if existing is not None:
            return existing
        if place.kind == Place.Kind.CLOSET:
            raise ClosetFittingOnly
        # A queue only makes sense where a copy lives (it may be out or in repair right now).
        kept = Item.objects.filter(title=title, place=place)
        if not kept.filter(status__in=[Item.Status.ACTIVE, Item.Status.MAINTENANCE]).exists():
            raise NoCopyHere
        rule = rule_for(title.category_id, place.pk)
        active = Booking.objects.for_member(member).active().count()
        if active >= rule.max_active_bookings:
            raise BookingLimitReached(count=active, limit=rule.max_active_bookings)
        blocks = [b for b in member_blocks(member, today=_today(now)) if b != "briefing"]
        if blocks:
            raise MemberBlocked(blocks)
        hold = Booking.objects.create(member=member, title=title, place=place, created_at=now)
        _event(Event.Action.HOLD, now, by, member=member, place=place, booking=hold)
        for copy in _lock_candidates(item=None, title=title, place=place):
            if offer_to_next_in_line(copy, now=now) is not None:
                break
        hold.refresh_from_db()
    return hold


def offer_to_next_in_line(item: Item, *, now: dt.datetime) -> Booking | None:
    """Set a free copy aside for the first hold in its title's queue at its place.

    Called inside a caller's transaction with the item locked. Returns the hold made ready.
    """
    if item.status != Item.Status.ACTIVE:
        return None
    if Loan.objects.filter(item=item, returned_at__isnull=True).exists():
        return None
    today = _today(now)
    hold = Booking.objects.waiting_for(item.title).filter(place=item.place).first()
    if hold is None:
        return None
    rule = rule_for(item.title.category_id, item.place_id)
    deadline = next_open_day(
        item.place, today + dt.timedelta(days=max(rule.pickup_window_days - 1, 0))
    )
    end = deadline + dt.timedelta(days=1)
    # The volunteer hands it straight to the hold shelf: a returned loan's turnaround days
    # (kept for date bookings) do not apply.
    Occupancy.objects.filter(item=item, loan__returned_at__isnull=False).delete()
    if Occupancy.objects.overlapping(item, today, end).exists():
        return None  # booked by date soon: keep it for that booking
    hold.item = item
    hold.status = Booking.Status.READY
    hold.pickup_deadline = deadline
    hold.ready_at = now
    hold.save(update_fields=["item", "status", "pickup_deadline", "ready_at"])
    _occupy(item, today, end, booking=hold)
    _event(
        Event.Action.READY,
        now,
        None,
        member=hold.member,
        place=item.place,
        item=item,
        booking=hold,
        data={"collect_by": deadline.isoformat()},
    )
    _announce_ready(hold)
    return hold


def _announce_ready(booking: Booking) -> None:
    for callback in on_booking_ready:
        transaction.on_commit(partial(callback, booking))


def make_ready(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """A dated booking whose start has come and whose item is in: ready for pickup.

    Running it again on a ready booking changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("item", "place")
            .get(pk=booking.pk)
        )
        if booking.status != Booking.Status.REQUESTED or booking.item is None:
            return booking
        today = _today(now)
        if booking.start_date is None or booking.start_date > today:
            return booking
        if Loan.objects.filter(item=booking.item_id, returned_at__isnull=True).exists():
            return booking  # still out; becomes ready when it comes back
        rule = rule_for(booking.title.category_id, booking.place_id)
        booking.status = Booking.Status.READY
        booking.ready_at = now
        booking.pickup_deadline = next_open_day(
            booking.place,
            booking.start_date + dt.timedelta(days=max(rule.pickup_window_days - 1, 0)),
        )
        booking.save(update_fields=["status", "ready_at", "pickup_deadline"])
        _event(
            Event.Action.READY,
            now,
            None,
            member=booking.member,
            place=booking.place,
            item=booking.item,
            booking=booking,
            data={"collect_by": booking.pickup_deadline.isoformat()},
        )
        _announce_ready(booking)
    return booking


def cancel_booking(*, booking: Booking, by: Any, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking or leave a queue; the copy it held goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not access.can_manage_booking(by, booking):
            raise NotAtYourPlace
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if not booking.is_active():
            raise BookingClosed
        _close_booking(booking, Booking.Status.CANCELLED, by=by, now=now)
    return booking


def cancel_open_bookings(*, member: Any, now: dt.datetime | None = None) -> int:
    """Cancel every open booking and hold of a member who is leaving (account closing), each
    as cancel_booking would: the copy goes to the next in line, an event says who and when.

    Runs inside the caller's transaction (close_account locks the member first, then this
    locks the bookings and their items in primary-key order). Returns how many it cancelled;
    a second run finds none."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.select_for_update().filter(member=member).active().order_by("pk")
    )
    for booking in bookings:
        _close_booking(booking, Booking.Status.CANCELLED, by=member, now=now)
    return len(bookings)


def expire_booking(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """A ready booking not collected by its deadline expires; the next in line is offered."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.READY or booking.pickup_deadline is None:
            return booking
        if booking.pickup_deadline >= _today(now):
            return booking
        _close_booking(booking, Booking.Status.EXPIRED, by=None, now=now)
    return booking


def _close_booking(booking: Booking, status: str, *, by: Any, now: dt.datetime) -> None:
    item_id = booking.item_id
    Occupancy.objects.filter(booking=booking).delete()
    booking.status = status
    booking.closed_at = now
    booking.save(update_fields=["status", "closed_at"])
    action = Event.Action.CANCEL if status == Booking.Status.CANCELLED else Event.Action.EXPIRE
    _event(
        action,
        now,
        by,
        member=booking.member,
        place=booking.place,
        item_id=item_id,
        booking=booking,
    )
    if item_id is not None:
        offer_to_next_in_line(_lock_item(item_id), now=now)
