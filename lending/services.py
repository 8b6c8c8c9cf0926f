"""Workflows of the lending engine: check-out, check-in, renewal, bookings and holds.

Every public function runs in one durable transaction, locks the member and then the items in
primary-key order, refuses bad states with a named LendingRefused, writes an Event row, and is
harmless when repeated where a user would expect that. The item row lock serialises work on an
item on PostgreSQL; on SQLite every transaction takes the write lock at BEGIN (settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access
from .exceptions import (
    BeyondHorizon,
    BookingClosed,
    BookingDatesInvalid,
    BookingLimitReached,
    BookingTooLong,
    FutureDate,
    ItemAlreadyOnLoan,
    ItemAtAnotherPlace,
    ItemNotAvailable,
    ItemNotLendable,
    ItemNotOnLoan,
    ItemSetAsideForSomeoneElse,
    LimitReached,
    MemberBlocked,
    NotAtYourPlace,
    ReasonRequired,
    RenewalRefused,
)
from .models import Booking, Briefing, Category, Event, Item, Loan, Occupancy, Place, Title
from .opening import next_open_day
from .rules import category_chain, rule_for

User = get_user_model()
DAMAGED_CONDITIONS = {"needs_repair", "damaged", "parts_missing"}

# Follow-up work (notices) subscribes here; called on commit with the changed object.
# Keeps this layer free of the notification jobs that build on it.
on_booking_ready: list[Callable[[Booking], None]] = []


def _today(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def _event(action: str, at: dt.datetime, by: Any, **fields: Any) -> Event:
    return Event.objects.create(action=action, at=at, actor=by, **fields)


def _lock_member(member: Any) -> Any:
    return User.objects.select_for_update().get(pk=member.pk)


def _lock_item(item: Item | int) -> Item:
    pk = item if isinstance(item, int) else item.pk
    return Item.objects.select_for_update(of=("self",)).select_related("title", "place").get(pk=pk)


def _when(now: dt.datetime | None, backdated_to: dt.datetime | None, reason: str) -> dt.datetime:
    """The time an action counts from; a backdated time needs a reason and cannot be ahead."""
    now = now or timezone.now()
    if backdated_to is None:
        return now
    if not reason.strip():
        raise ReasonRequired
    if backdated_to > now:
        raise FutureDate
    return backdated_to


def _occupy(item: Item, start: dt.date, end: dt.date, **owner: Any) -> Occupancy:
    """Claim [start, end) of an item, or refuse naming the date it is booked from.

    The explicit check gives the message; on PostgreSQL the exclusion constraint is the
    backstop should two transactions ever get past it together.
    """
    clash = Occupancy.objects.overlapping(item, start, end).order_by("start").first()
    if clash is not None:
        raise ItemNotAvailable.booked_from(clash.start)
    try:
        with transaction.atomic():
            return Occupancy.objects.create(item=item, start=start, end=end, **owner)
    except IntegrityError as exc:
        raise ItemNotAvailable from exc


def member_blocks(
    member: Any, *, today: dt.date, rule: Any = None, category: Any = None
) -> list[str]:
    """Why a member may not borrow now (empty when they may)."""
    reasons = []
    if not member.is_active:
        reasons.append("inactive")
    if Loan.objects.for_member(member).overdue(today).exists():
        reasons.append("overdue")
    if rule is not None and rule.requires_verified_member and not member.is_verified:
        reasons.append("unverified")
    if rule is not None and rule.requires_briefing and category is not None:
        chain = category_chain(category.pk, dict(Category.objects.values_list("pk", "parent_id")))
        if not Briefing.objects.filter(member=member, category_id__in=chain).exists():
            reasons.append("briefing")
    return reasons


# --- Loans -------------------------------------------------------------------------------


def check_out(
    *,
    item: Item,
    member: Any,
    by: Any,
    place: Place | None = None,
    now: dt.datetime | None = None,
    backdated_to: dt.datetime | None = None,
    override_block: bool = False,
    reason: str = "",
) -> Loan:
    """Lend an item to a member at the desk; the due date follows the category's rule.

    Consumes the member's own booking of the item. Guarantee: at most one open loan per item,
    whatever the concurrency (row lock + partial unique index).
    """
    at = _when(now, backdated_to, reason)
    with transaction.atomic(durable=True):
        member = _lock_member(member)
        item = _lock_item(item)
        if place is not None and item.place_id != place.pk:
            raise ItemAtAnotherPlace
        access.require_work_at(by, item.place)
        if item.status != Item.Status.ACTIVE:
            raise ItemNotLendable
        if Loan.objects.filter(item=item, returned_at__isnull=True).exists():
            raise ItemAlreadyOnLoan
        today = _today(at)
        category = item.title.category
        rule = rule_for(category, item.place)
        blocks = member_blocks(member, today=today, rule=rule, category=category)
        if blocks and not override_block:
            raise MemberBlocked(blocks)
        if blocks and not reason.strip():
            raise ReasonRequired
        in_category = Loan.objects.open().for_member(member).filter(item__title__category=category)
        if in_category.count() >= rule.max_items_per_member:
            raise LimitReached
        booking = _claim_own_booking(item, member, today, at=at)
        due = next_open_day(item.place, today + dt.timedelta(days=rule.loan_days))
        buffer = dt.timedelta(days=1 + rule.turnaround_days)
        # Someone booked it later: lend it only until their turn (buffer kept), if that is
        # at least today; the desk sees the shorter due date on the receipt.
        clash = Occupancy.objects.overlapping(item, today, due + buffer).order_by("start").first()
        if clash is not None:
            due = clash.start - buffer
            if due < today:
                raise ItemNotAvailable.booked_from(clash.start)
        loan = Loan.objects.create(
            item=item,
            member=member,
            place=item.place,
            booking=booking,
            checked_out_at=at,
            checked_out_by=by,
            due_date=due,
            fee=rule.fee,
            deposit=rule.deposit,
        )
        _occupy(item, today, due + buffer, loan=loan)
        _event(
            Event.Action.CHECK_OUT,
            at,
            by,
            member=member,
            place=item.place,
            item=item,
            loan=loan,
            booking=booking,
            reason=reason,
            data={"due": due.isoformat(), "backdated": backdated_to is not None},
        )
        if blocks:
            _event(
                Event.Action.OVERRIDE,
                at,
                by,
                member=member,
                place=item.place,
                item=item,
                loan=loan,
                reason=reason,
                data={"blocks": blocks},
            )
    return loan


def _claim_own_booking(
    item: Item, member: Any, today: dt.date, *, at: dt.datetime
) -> Booking | None:
    """The member's own booking of this item becomes the loan; a copy set aside for someone
    else today is refused."""
    active = Booking.objects.active().filter(item=item).select_related("occupancy")
    own = active.filter(member=member).order_by("start_date", "pk").first()
    if own is None:
        if active.filter(occupancy__start__lte=today).exists():
            raise ItemSetAsideForSomeoneElse
        return None
    Occupancy.objects.filter(booking=own).delete()
    own.status = Booking.Status.COLLECTED
    own.closed_at = at
    own.save(update_fields=["status", "closed_at"])
    return own


def check_in(
    *,
    item: Item,
    by: Any,
    condition: str = Loan.ReturnCondition.OK,
    note: str = "",
    place: Place | None = None,
    now: dt.datetime | None = None,
    backdated_to: dt.datetime | None = None,
    reason: str = "",
) -> Loan:
    """Take an item back. Damage puts it into maintenance; otherwise the next in line gets it.

    Never refused for lateness: the period it held only ever shrinks, so no clash can arise.
    """
    at = _when(now, backdated_to, reason)
    with transaction.atomic(durable=True):
        item = _lock_item(item)
        if place is not None:
            access.require_work_at(by, place)
        access.require_work_at(by, item.place)
        loan = Loan.objects.filter(item=item, returned_at__isnull=True).first()
        if loan is None:
            raise ItemNotOnLoan
        if at < loan.checked_out_at:
            raise FutureDate(_before_checkout_message())
        loan.returned_at = at
        loan.returned_by = by
        loan.return_condition = condition
        damaged = condition in DAMAGED_CONDITIONS
        loan.outcome = Loan.Outcome.DAMAGED if damaged else Loan.Outcome.RETURNED
        loan.save(update_fields=["returned_at", "returned_by", "return_condition", "outcome"])
        rule = rule_for(item.title.category_id, item.place_id)
        release = _today(at) + dt.timedelta(days=1 + rule.turnaround_days)
        occupancy = Occupancy.objects.filter(loan=loan).first()
        if occupancy is not None:
            if release <= occupancy.start:
                occupancy.delete()
            elif release < occupancy.end:
                occupancy.end = release
                occupancy.save(update_fields=["end"])
        _event(
            Event.Action.CHECK_IN,
            at,
            by,
            member=loan.member,
            place=item.place,
            item=item,
            loan=loan,
            reason=reason or note,
            data={"condition": condition, "backdated": backdated_to is not None},
        )
        if damaged:
            _set_status(item, Item.Status.MAINTENANCE, by=by, at=at, reason=note)
        else:
            offer_to_next_in_line(item, now=at)
    return loan


def _before_checkout_message() -> str:
    from django.utils.translation import gettext

    return gettext("A check-in cannot be earlier than the check-out.")


def _set_status(item: Item, status: str, *, by: Any, at: dt.datetime, reason: str = "") -> None:
    if item.status == status:
        return
    old = item.status
    item.status = status
    item.save(update_fields=["status"])
    _event(
        Event.Action.STATUS,
        at,
        by,
        place=item.place,
        item=item,
        reason=reason,
        data={"from": old, "to": status},
    )


def renewal_refusal(loan: Loan, *, today: dt.date) -> RenewalRefused | None:
    """Why this loan cannot be renewed now, or None. Cheap enough for one loan; lists use
    selectors.renewal_refusals for many."""
    if not loan.is_open:
        return RenewalRefused("closed")
    if loan.is_overdue(today):
        return RenewalRefused("overdue")
    rule = rule_for(loan.item.title.category_id, loan.place_id)
    if loan.renewals >= rule.renewal_limit:
        return RenewalRefused("limit_reached")
    if Loan.objects.for_member(loan.member_id).overdue(today).exists():
        return RenewalRefused("member_blocked")
    if Booking.objects.waiting_for(loan.item.title).filter(place=loan.place_id).exists():
        return RenewalRefused("someone_waits")
    new_due = loan.due_date + dt.timedelta(days=rule.renewal_days)
    horizon_end = new_due + dt.timedelta(days=1 + rule.turnaround_days)
    if (
        Occupancy.objects.overlapping(loan.item_id, loan.due_date, horizon_end)
        .exclude(loan=loan)
        .exists()
    ):
        return RenewalRefused("someone_waits")
    return None


def renew(*, loan: Loan, by: Any, now: dt.datetime | None = None) -> Loan:
    """Extend a loan by the rule's renewal length, rolled to an open day, or refuse with why."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        _lock_member(loan.member)
        _lock_item(loan.item_id)
        loan = Loan.objects.select_related("item__title", "place").get(pk=loan.pk)
        if not access.can_manage_loan(by, loan):
            raise NotAtYourPlace
        today = _today(now)
        refusal = renewal_refusal(loan, today=today)
        if refusal is not None:
            raise refusal
        rule = rule_for(loan.item.title.category_id, loan.place_id)
        old_due = loan.due_date
        loan.due_date = next_open_day(loan.place, old_due + dt.timedelta(days=rule.renewal_days))
        loan.renewals += 1
        loan.save(update_fields=["due_date", "renewals"])
        new_end = loan.due_date + dt.timedelta(days=1 + rule.turnaround_days)
        try:
            with transaction.atomic():
                Occupancy.objects.filter(loan=loan).update(end=new_end)
        except IntegrityError as exc:  # a booking slipped in: PostgreSQL's constraint says so
            raise RenewalRefused("someone_waits") from exc
        _event(
            Event.Action.RENEW,
            now,
            by,
            member=loan.member,
            place=loan.place,
            item=loan.item,
            loan=loan,
            data={"from": old_due.isoformat(), "to": loan.due_date.isoformat()},
        )
    return loan


def mark_lost(*, loan: Loan, by: Any, reason: str, now: dt.datetime | None = None) -> Loan:
    """Close a loan as lost; the item becomes missing. Repeating it changes nothing."""
    now = now or timezone.now()
    if not reason.strip():
        raise ReasonRequired
    with transaction.atomic(durable=True):
        item = _lock_item(loan.item_id)
        loan = Loan.objects.get(pk=loan.pk)
        if loan.outcome == Loan.Outcome.LOST:
            return loan
        access.require_work_at(by, item.place)
        if not loan.is_open:
            raise ItemNotOnLoan
        loan.returned_at = now
        loan.outcome = Loan.Outcome.LOST
        loan.save(update_fields=["returned_at", "outcome"])
        Occupancy.objects.filter(loan=loan).delete()
        _event(
            Event.Action.LOST,
            now,
            by,
            member=loan.member,
            place=item.place,
            item=item,
            loan=loan,
            reason=reason,
        )
        _set_status(item, Item.Status.MISSING, by=by, at=now, reason=reason)
    return loan


# --- Bookings and holds ------------------------------------------------------------------


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
    today = _today(now)
    if item is None and title is None:
        raise BookingDatesInvalid
    if start < today or end < start:
        raise BookingDatesInvalid
    with transaction.atomic(durable=True):
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
        rule = rule_for(sample.title.category_id, sample.place_id)
        _check_booking_limits(member, rule, start=start, end=end, today=today)
        blocks = member_blocks(member, today=today, rule=rule, category=sample.title.category)
        blocks = [b for b in blocks if b != "briefing"]  # a briefing can happen at pickup
        if blocks:
            raise MemberBlocked(blocks)
        occupancy_end = end + dt.timedelta(days=1 + rule.turnaround_days)
        chosen = None
        for candidate in candidates:
            if (
                start <= today
                and Loan.objects.filter(item=candidate, returned_at__isnull=True).exists()
            ):
                continue  # out right now (perhaps overdue): cannot be handed over today
            if not Occupancy.objects.overlapping(candidate, start, occupancy_end).exists():
                chosen = candidate
                break
        if chosen is None:
            clash = (
                Occupancy.objects.filter(
                    item__in=candidates, start__lt=occupancy_end, end__gt=start
                )
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
            data={"start": start.isoformat(), "end": end.isoformat()},
        )
    return booking


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
    if Booking.objects.for_member(member).active().count() >= rule.max_active_bookings:
        raise BookingLimitReached


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
        rule = rule_for(title.category_id, place.pk)
        if Booking.objects.for_member(member).active().count() >= rule.max_active_bookings:
            raise BookingLimitReached
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
