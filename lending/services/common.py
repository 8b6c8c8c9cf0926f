"""Shared steps of the lending workflows: locks, times, occupancy, blocks, the event log.

Every public function runs in one durable transaction, locks the member and then the items in
primary-key order, refuses bad states with a named LendingRefused, writes an Event row, and is
harmless when repeated where a user would expect that. The item row lock serialises work on an
item on PostgreSQL; on SQLite every transaction takes the write lock at BEGIN (settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from lending.exceptions import (
    FutureDate,
    ItemNotAvailable,
    ReasonRequired,
)
from lending.models import Booking, Briefing, Category, Event, Item, Loan, Occupancy
from lending.rules import category_chain
from sharing_city.core.events import SYSTEM

User = get_user_model()
DAMAGED_CONDITIONS = {"needs_repair", "damaged", "parts_missing"}

# Follow-up work (notices) subscribes here; called on commit with the changed object.
# Keeps this layer free of the notification jobs that build on it.
on_booking_ready: list[Callable[[Booking], None]] = []
# ...and here for a new dated booking (its confirmation notice with the pickup place).
on_booking_made: list[Callable[[Booking], None]] = []


# True while the workflows run inside one_transaction(): they join it instead of committing.
_joined: ContextVar[bool] = ContextVar("lending_one_transaction", default=False)


def workflow_transaction() -> transaction.Atomic:
    """The transaction of one workflow: its own durable one (committed when the workflow
    returns), or, inside one_transaction(), a savepoint in the caller's."""
    return transaction.atomic(durable=not _joined.get())


@contextmanager
def one_transaction() -> Iterator[None]:
    """Run several workflows as one all-or-nothing transaction: an outfit of garments lent
    together, a damaged check-in and its repair ticket. A refusal or crash in any step leaves
    nothing of the others. Callers lock in the same order as the workflows (member, then items
    by primary key) so two such transactions cannot deadlock. Inside another one it is a
    savepoint of the outer."""
    if _joined.get():
        with transaction.atomic():
            yield
        return
    token = _joined.set(True)
    try:
        with transaction.atomic(durable=True):
            yield
    finally:
        _joined.reset(token)


def _today(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def _event(action: str, at: dt.datetime, by: Any, **fields: Any) -> Event:
    """The audit row; no actor means the system (a sweep, a task) did it."""
    if by is None:
        fields.setdefault("who", SYSTEM)
    return Event.objects.create(action=action, at=at, actor=by, **fields)


def _lock_member(member: Any) -> Any:
    return User.objects.select_for_update().get(pk=member.pk)


def _lock_item(item: Item | int) -> Item:
    pk = item if isinstance(item, int) else item.pk
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("title__category", "place")
        .get(pk=pk)
    )


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


def _occupy(
    item: Item, start: dt.date, end: dt.date, *, known_free: bool = False, **owner: Any
) -> Occupancy:
    """Claim [start, end) of an item, or refuse naming the date it is booked from.

    The explicit check gives the message (skipped when the caller has just made the same
    check under the item's lock: known_free); on PostgreSQL the exclusion constraint is the
    backstop should two transactions ever get past it together.
    """
    if not known_free:
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
