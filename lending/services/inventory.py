"""Item-level workflows: add, edit, change status, retire, move between places.

Each public entry point is one durable transaction of its own; inside lending's
one_transaction() it joins the caller's instead, so a programme's own workflow (a repair
ticket, a transfer, a garment) changes its row and the item in one commit.

An item leaving lending (maintenance, retired, missing, moved away) strands the bookings that
counted on it; `displaced` lists what became of each: moved to a free copy of the same title at
the same place, sent back to the head of the queue (holds), or cancelled (dated bookings that
no copy can meet). The caller tells the members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lending import access
from lending.exceptions import ItemAlreadyOnLoan, ReasonRequired
from lending.models import (
    ITEM_CODE_VALIDATOR,
    Booking,
    Category,
    Event,
    Item,
    Loan,
    Occupancy,
    Place,
    Title,
)
from sharing_city.core.errors import InvalidInput

from .bookings import offer_to_next_in_line
from .common import _event, _lock_item, _set_status, workflow_transaction


class InvalidItem(InvalidInput):
    code = "item_invalid"
    default_message = _("These item details are not valid.")

    @classmethod
    def code_taken(cls) -> InvalidItem:
        return cls(_("Another item already has this code."), code="item_code_taken")


@dataclass
class Displaced:
    """What became of the bookings of an item that stopped being lendable here."""

    moved: list[Booking] = field(default_factory=list)
    requeued: list[Booking] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)


@dataclass
class ItemChange:
    item: Item
    displaced: Displaced = field(default_factory=Displaced)


@dataclass(frozen=True)
class NewTitle:
    """A thing not yet in the catalogue, named at the desk."""

    category: Category
    name_ko: str
    name_en: str = ""


def add_item(
    *,
    place: Place,
    code: str,
    by: Any,
    title: Title | None = None,
    new_title: NewTitle | None = None,
    condition: str = Item.Condition.GOOD,
    note: str = "",
    acquired_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Item:
    """A new copy on the shelf, of a known title or a new one (photos: `lending.photos`).
    Adding the same code again at the same place returns it."""
    now = now or timezone.now()
    access.require_work_at(by, place)
    code = code.strip().upper()
    if (title is None) == (new_title is None):
        raise InvalidItem()
    try:
        ITEM_CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise InvalidItem(" ".join(exc.messages)) from exc
    with workflow_transaction():
        existing = Item.objects.filter(code=code).first()
        if existing is not None:
            if existing.place_id == place.pk:
                return existing
            raise InvalidItem.code_taken()
        if title is None:
            assert new_title is not None
            title = Title.objects.create(
                category=new_title.category,
                name_ko=new_title.name_ko.strip(),
                name_en=new_title.name_en.strip(),
            )
        try:
            with transaction.atomic():
                item = Item(
                    code=code,
                    title=title,
                    place=place,
                    condition=condition,
                    note=note,
                    acquired_on=acquired_on,
                )
                item.full_clean(exclude=["title", "place"], validate_unique=False)
                item.save()
        except ValidationError as exc:
            raise InvalidItem(" ".join(exc.messages)) from exc
        except IntegrityError as exc:  # the same code added at another desk a moment ago
            raise InvalidItem.code_taken() from exc
        _event(
            Event.Action.STATUS,
            now,
            by,
            place=place,
            item=item,
            data={"from": None, "to": item.status, "added": True},
        )
    return item


def ensure_category(
    *, slug: str, name_ko: str, name_en: str = "", parent: Category | None = None
) -> Category:
    """The category with this slug, created with these names if it is new: a programme (the
    closets) keeps its things under categories of its own. Safe to run twice or at once."""
    existing = Category.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Category.objects.create(
                slug=slug, name_ko=name_ko, name_en=name_en, parent=parent
            )
    except IntegrityError:  # created a moment ago by a concurrent caller
        return Category.objects.get(slug=slug)


EDITABLE = ("title", "condition", "note", "acquired_on")


def update_item(*, item: Item, by: Any, now: dt.datetime | None = None, **changes: Any) -> Item:
    """Edit an item's title, condition, note or acquisition date; the event keeps old values."""
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_item cannot change {sorted(unknown)}")
    with workflow_transaction():
        item = _lock_item(item)
        access.require_work_at(by, item.place)
        before = {}
        for name, value in changes.items():
            old = getattr(item, name)
            if old != value:
                before[name] = str(getattr(old, "pk", old) or "")
                setattr(item, name, value)
        if not before:
            return item
        item.save(update_fields=list(before))
        _event(Event.Action.STATUS, now, by, place=item.place, item=item, data={"edit": before})
    return item


def change_item_status(
    *,
    item: Item,
    status: str,
    by: Any,
    reason: str = "",
    now: dt.datetime | None = None,
    keep_bookings: bool = False,
) -> ItemChange:
    """Put an item into maintenance, back into lending, or mark it missing or retired.

    Leaving lending displaces its bookings (see module docstring), unless `keep_bookings`: a
    short hold (cleaning) that the turnaround buffer covers keeps them on this copy. Coming
    back offers it to the next hold in line. Setting the status it already has changes nothing.
    """
    now = now or timezone.now()
    if status not in Item.Status.values:
        raise InvalidItem()
    with workflow_transaction():
        item = _lock_item(item)
        access.require_work_at(by, item.place)
        change = ItemChange(item)
        if item.status == status:
            return change
        if status == Item.Status.RETIRED:
            if not reason.strip():
                raise ReasonRequired
            if Loan.objects.filter(item=item, returned_at__isnull=True).exists():
                raise ItemAlreadyOnLoan
        _set_status(item, status, by=by, at=now, reason=reason)
        if status == Item.Status.ACTIVE:
            offer_to_next_in_line(item, now=now)
        elif not keep_bookings:
            change.displaced = _displace_bookings(item, by=by, now=now, reason=reason)
    return change


def retire_item(*, item: Item, by: Any, reason: str, now: dt.datetime | None = None) -> ItemChange:
    """Take an item out of the collection for good (never while on loan); a reason is required."""
    return change_item_status(item=item, status=Item.Status.RETIRED, by=by, reason=reason, now=now)


def move_item(
    *, item: Item, to: Place, by: Any, reason: str = "", now: dt.datetime | None = None
) -> ItemChange:
    """The item now lives at another place (a transfer arrived). Its bookings at the old place
    are moved to another copy there or cancelled; at the new place it is offered to the queue.

    The mover must work at the new place; moving it where it already is changes nothing.
    """
    now = now or timezone.now()
    with workflow_transaction():
        item = _lock_item(item)
        access.require_work_at(by, to)
        change = ItemChange(item)
        if item.place_id == to.pk:
            return change
        if Loan.objects.filter(item=item, returned_at__isnull=True).exists():
            raise ItemAlreadyOnLoan
        old_place = item.place
        change.displaced = _displace_bookings(item, by=by, now=now, reason=reason)
        item.place = to
        item.save(update_fields=["place"])
        _event(
            Event.Action.MOVE,
            now,
            by,
            place=to,
            item=item,
            reason=reason,
            data={"from": old_place.slug, "to": to.slug},
        )
        offer_to_next_in_line(item, now=now)
    return change


def _displace_bookings(item: Item, *, by: Any, now: dt.datetime, reason: str) -> Displaced:
    """Find each active booking of the item another home, or end it."""
    result = Displaced()
    bookings = list(
        Booking.objects.active()
        .filter(item=item)
        .select_related("occupancy", "member")
        .order_by("pk")
    )
    for booking in bookings:
        occupancy = getattr(booking, "occupancy", None)
        if booking.is_queue_hold:
            _requeue(booking, by=by, now=now)
            result.requeued.append(booking)
        elif occupancy is not None and _move_to_free_copy(booking, occupancy, by=by, now=now):
            result.moved.append(booking)
        else:
            Occupancy.objects.filter(booking=booking).delete()
            booking.status = Booking.Status.CANCELLED
            booking.closed_at = now
            booking.save(update_fields=["status", "closed_at"])
            _event(
                Event.Action.CANCEL,
                now,
                by,
                member=booking.member,
                place=booking.place,
                item=item,
                booking=booking,
                reason=reason,
                data={"displaced": True},
            )
            result.cancelled.append(booking)
    return result


def _requeue(hold: Booking, *, by: Any, now: dt.datetime) -> None:
    """A hold set aside on this copy goes back to the queue, keeping its place in line, and
    takes another free copy if one is on the shelf."""
    Occupancy.objects.filter(booking=hold).delete()
    old_item = hold.item
    hold.item = None
    hold.status = Booking.Status.REQUESTED
    hold.pickup_deadline = None
    hold.ready_at = None
    hold.save(update_fields=["item", "status", "pickup_deadline", "ready_at"])
    _event(
        Event.Action.MOVE,
        now,
        by,
        member=hold.member,
        place=hold.place,
        item=old_item,
        booking=hold,
        data={"requeued": True},
    )
    copies = (
        Item.objects.select_for_update(of=("self",))
        .filter(title=hold.title_id, place=hold.place_id, status=Item.Status.ACTIVE)
        .exclude(pk=getattr(old_item, "pk", None))
        .select_related("title", "place")
        .order_by("pk")
    )
    for copy in copies:
        if offer_to_next_in_line(copy, now=now) is not None:
            break


def _move_to_free_copy(
    booking: Booking, occupancy: Occupancy, *, by: Any, now: dt.datetime
) -> bool:
    """Move a dated booking to another active copy of its title at its place that is free for
    the whole period. The exclusion constraint stays the backstop (savepoint)."""
    candidates = (
        Item.objects.select_for_update(of=("self",))
        .filter(title=booking.title_id, place=booking.place_id, status=Item.Status.ACTIVE)
        .exclude(pk=booking.item_id)
        .free_between(occupancy.start, occupancy.end)
        .order_by("pk")
    )
    for candidate in candidates:
        try:
            with transaction.atomic():
                old_item_id = booking.item_id
                Occupancy.objects.filter(pk=occupancy.pk).update(item=candidate)
                booking.item = candidate
                booking.save(update_fields=["item"])
        except IntegrityError:
            continue
        _event(
            Event.Action.MOVE,
            now,
            by,
            member=booking.member,
            place=booking.place,
            item=candidate,
            booking=booking,
            data={"from_item": old_item_id, "to_item": candidate.pk},
        )
        return True
    return False
