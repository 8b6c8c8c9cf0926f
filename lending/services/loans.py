"""Loans: check-out, check-in, renewal, lost items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lending import access
from lending.exceptions import (
    DueDateChanged,
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
from lending.models import Booking, Event, Item, Loan, Occupancy, Place, Title
from lending.opening import next_open_day
from lending.rules import rule_for, rules_for_many

from . import deposits
from .bookings import offer_to_next_in_line
from .common import (
    DAMAGED_CONDITIONS,
    _event,
    _lock_item,
    _lock_member,
    _occupy,
    _set_status,
    _today,
    _when,
    member_blocks,
    workflow_transaction,
)


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
    confirm_due: dt.date | None = None,
) -> Loan:
    """Lend an item to a member at the desk; the due date follows the category's rule.

    Consumes the member's own booking of the item, and keeps its booked return date: when
    that date cannot be kept (someone booked the item sooner, the place closed that day, the
    dates have passed) DueDateChanged is raised unless the volunteer confirmed the new date
    (`confirm_due`). Guarantee: at most one open loan per item, whatever the concurrency
    (row lock + partial unique index).
    """
    at = _when(now, backdated_to, reason)
    with workflow_transaction():
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
        counted = _counted_toward(rule, member)
        if counted >= rule.max_items_per_member:
            raise LimitReached(
                count=counted, limit=rule.max_items_per_member, what=rule.category.name
            )
        booking = _claim_own_booking(item, member, today, at=at)
        booked = booking.end_date if booking is not None else None
        if booked is not None and booked >= today:
            due = next_open_day(item.place, booked)
        else:
            due = next_open_day(item.place, today + dt.timedelta(days=rule.loan_days))
        buffer = dt.timedelta(days=1 + rule.turnaround_days)
        # The item is in the volunteer's hands: the turnaround days a returned loan keeps
        # (for planning date bookings) do not stop lending it again now.
        Occupancy.objects.filter(item=item, loan__returned_at__isnull=False).delete()
        # Someone booked it later: lend it only until their turn (buffer kept), if that is
        # at least today; the desk sees the shorter due date on the receipt.
        clash = Occupancy.objects.overlapping(item, today, due + buffer).order_by("start").first()
        if clash is not None:
            due = clash.start - buffer
            if due < today:
                raise ItemNotAvailable.booked_from(clash.start)
        if booked is not None and due != booked and due != confirm_due:
            raise DueDateChanged(booked=booked, due=due, why=_why_due_changed(booked, today, clash))
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
        # The earliest clash was just looked up under the item's lock and the period ends
        # before it: no second look needed.
        _occupy(item, today, due + buffer, known_free=True, loan=loan)
        deposits.collect(loan, at=at, by=by)
        # "Most borrowed" sorts on this count; F() so concurrent check-outs both count.
        Title.objects.filter(pk=item.title_id).update(loan_count=F("loan_count") + 1)
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
            data={
                "due": due.isoformat(),
                "backdated": backdated_to is not None,
                **({"booked_until": booked.isoformat()} if booked is not None else {}),
            },
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


def _why_due_changed(booked: dt.date, today: dt.date, clash: Occupancy | None) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    if booked < today:
        return gettext("the booked dates have passed")
    if clash is not None:
        return gettext("someone else has it booked from %(date)s") % {
            "date": date_format(clash.start, "DATE_FORMAT")
        }
    return gettext("the place is closed that day")


def _counted_toward(rule: Any, member: Any) -> int:
    """The member's open loans under the same rule: from the rule's category and those below
    it that inherit it (a drill counts toward "power tools, at most 2"; a saw, whose category
    has its own rule, does not). Two queries for the rules, whatever the number of loans."""
    pairs = list(
        Loan.objects.open()
        .for_member(member)
        .filter(item__title__category__in=rule.category.with_descendants())
        .values_list("item__title__category_id", "place_id")
    )
    rules = rules_for_many(pairs)
    return sum(1 for pair in pairs if rules[pair].pk == rule.pk)


def _claim_own_booking(
    item: Item, member: Any, today: dt.date, *, at: dt.datetime
) -> Booking | None:
    """The member's own booking of this item becomes the loan; a copy set aside for someone
    else today is refused."""
    # An item has few active bookings: one query for all, sorted out here.
    active = list(
        Booking.objects.active().filter(item=item).select_related("occupancy").order_by("pk")
    )
    mine = [b for b in active if b.member_id == member.pk]
    own = min(mine, key=lambda b: (b.start_date, b.pk)) if mine else None
    if own is None:
        if any(hasattr(b, "occupancy") and b.occupancy.start <= today for b in active):
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
    deposit_kept: Decimal = Decimal(0),
    deposit_reason: str = "",
) -> Loan:
    """Take an item back. Damage puts it into maintenance; otherwise the next in line gets it.
    The deposit held is given back, less `deposit_kept` (which needs `deposit_reason`).

    Never refused for lateness: the period it held only ever shrinks, so no clash can arise.
    """
    at = _when(now, backdated_to, reason)
    with workflow_transaction():
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
            member_id=loan.member_id,
            place=item.place,
            item=item,
            loan=loan,
            reason=reason or note,
            data={"condition": condition, "backdated": backdated_to is not None},
        )
        deposits.settle(loan, at=at, by=by, keep=deposit_kept, reason=deposit_reason)
        if damaged:
            _set_status(item, Item.Status.MAINTENANCE, by=by, at=at, reason=note)
        else:
            offer_to_next_in_line(item, now=at)
    return loan


def _before_checkout_message() -> str:
    from django.utils.translation import gettext

    return gettext("A check-in cannot be earlier than the check-out.")


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
    with workflow_transaction():
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
    with workflow_transaction():
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
        deposits.keep_all(loan, at=now, by=by, reason=reason)
        _set_status(item, Item.Status.MISSING, by=by, at=now, reason=reason)
    return loan
