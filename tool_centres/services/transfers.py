"""Moving a copy between places: requested, sent, received or cancelled, each an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from lending import access
from lending import services as lending
from lending.exceptions import ItemAlreadyOnLoan, NotAtYourPlace
from lending.models import Booking, Item, Loan, Place

from ..exceptions import (
    BookingsWaitForItem,
    TransferBeforeBooking,
    TransferClosed,
    TransferOfLentItem,
    TransferRefused,
    TransferUnderWay,
)
from ..models import DeskEvent, RepairTicket, Transfer
from .common import tell_displaced


def _transfer_event(action: str, at: dt.datetime, by: Any, transfer: Transfer) -> None:
    DeskEvent.objects.create(
        action=action,
        at=at,
        actor=by,
        place=transfer.from_place,
        item=transfer.item,
        transfer=transfer,
        data={"to": transfer.to_place_id},
    )


# Days an item is out of lending on its way; a booking of it starting sooner would be stranded.
TRANSFER_DAYS = 3


def _refuse_transfer_of_busy_item(item: Item, *, today: dt.date) -> None:
    """A transfer is asked for an item that is home and not promised soon to someone no other
    copy here can serve (a later booking, or one another copy meets, is moved when it leaves)."""
    loan = Loan.objects.open().filter(item=item).first()
    if loan is not None:
        raise TransferOfLentItem(item_code=item.code, due=date_format(loan.due_date, "DATE_FORMAT"))
    window_end = today + dt.timedelta(days=TRANSFER_DAYS)
    soon = (
        Booking.objects.active()
        .filter(item=item)
        .filter(Q(status=Booking.Status.READY) | Q(start_date__lt=window_end))
        .select_related("occupancy")
        .order_by("start_date", "pk")
    )
    others = Item.objects.filter(
        title_id=item.title_id, place_id=item.place_id, status=Item.Status.ACTIVE
    ).exclude(pk=item.pk)
    for booking in soon:
        occupancy = getattr(booking, "occupancy", None)
        set_aside = booking.status == Booking.Status.READY  # on the shelf for that member
        if (
            set_aside
            or occupancy is None
            or not others.free_between(occupancy.start, occupancy.end).exists()
        ):
            start = booking.start_date or today
            raise TransferBeforeBooking(
                item_code=item.code, start=date_format(start, "DATE_FORMAT"), days=TRANSFER_DAYS
            )


def request_transfer(
    *, item: Item, to_place: Place, by: Any, note: str = "", now: dt.datetime | None = None
) -> Transfer:
    """Ask for an item to move. Requested by a desk person of the sending place; asking again
    for the same destination returns the open transfer. Refused while the item is on loan or
    booked to start within TRANSFER_DAYS (a ready hold included), with the reason."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        item = Item.objects.select_for_update(of=("self",)).select_related("place").get(pk=item.pk)
        access.require_work_at(by, item.place)
        existing = Transfer.objects.under_way().filter(item=item).first()
        if existing is not None:
            if existing.to_place_id == to_place.pk:
                return existing
            raise TransferUnderWay
        if to_place.pk == item.place_id or item.status == Item.Status.RETIRED:
            raise TransferRefused
        _refuse_transfer_of_busy_item(item, today=timezone.localtime(now).date())
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    item=item,
                    from_place=item.place,
                    to_place=to_place,
                    note=note,
                    requested_at=now,
                    requested_by=by,
                )
        except IntegrityError as exc:
            raise TransferUnderWay from exc
        _transfer_event("transfer_requested", now, by, transfer)
        return transfer


def send_transfer(*, transfer: Transfer, by: Any, now: dt.datetime | None = None) -> Transfer:
    """The item leaves: out of lending at the old place, its bookings there moved to another
    free copy. Refused while on loan, or while a booking no other copy can meet waits for it
    (send it after that booking)."""
    now = now or timezone.now()
    with lending.one_transaction():  # the ticket or transfer and the item together
        transfer = _lock_transfer(transfer, by, transfer_side="from")
        if transfer.status == Transfer.Status.IN_TRANSIT:
            return transfer
        if transfer.status != Transfer.Status.REQUESTED:
            raise TransferClosed
        if Loan.objects.open().filter(item=transfer.item_id).exists():
            raise ItemAlreadyOnLoan
        change = lending.change_item_status(
            item=transfer.item, status=Item.Status.MAINTENANCE, by=by, reason="transfer", now=now
        )
        if change.displaced.cancelled:
            # Honour them: raising here rolls back the status change and any moved bookings.
            raise BookingsWaitForItem
        transfer.status = Transfer.Status.IN_TRANSIT
        transfer.sent_at = now
        transfer.save(update_fields=["status", "sent_at"])
        _transfer_event("transfer_sent", now, by, transfer)
    return transfer


def receive_transfer(*, transfer: Transfer, by: Any, now: dt.datetime | None = None) -> Transfer:
    """The item arrived: it belongs to the new place and lends there (unless under repair)."""
    now = now or timezone.now()
    with lending.one_transaction():  # the ticket or transfer and the item together
        transfer = _lock_transfer(transfer, by, transfer_side="to")
        if transfer.status == Transfer.Status.ARRIVED:
            return transfer
        if transfer.status != Transfer.Status.IN_TRANSIT:
            raise TransferClosed
        change = lending.move_item(item=transfer.item, to=transfer.to_place, by=by, now=now)
        tell_displaced(change.displaced, why="transfer")
        if not RepairTicket.objects.open().filter(item=transfer.item_id).exists():
            lending.change_item_status(
                item=transfer.item, status=Item.Status.ACTIVE, by=by, reason="transfer", now=now
            )
        transfer.status = Transfer.Status.ARRIVED
        transfer.arrived_at = now
        transfer.closed_by = by
        transfer.save(update_fields=["status", "arrived_at", "closed_by"])
        _transfer_event("transfer_arrived", now, by, transfer)
    return transfer


def cancel_transfer(*, transfer: Transfer, by: Any, now: dt.datetime | None = None) -> Transfer:
    """Only before it leaves; cancelling twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        transfer = _lock_transfer(transfer, by, transfer_side="from")
        if transfer.status == Transfer.Status.CANCELLED:
            return transfer
        if transfer.status != Transfer.Status.REQUESTED:
            raise TransferClosed
        transfer.status = Transfer.Status.CANCELLED
        transfer.closed_by = by
        transfer.save(update_fields=["status", "closed_by"])
        _transfer_event("transfer_cancelled", now, by, transfer)
    return transfer


def _lock_transfer(transfer: Transfer, by: Any, *, transfer_side: str) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_place", "to_place")
        .get(pk=transfer.pk)
    )
    place = transfer.from_place if transfer_side == "from" else transfer.to_place
    if not access.can_work_at(by, place):
        raise NotAtYourPlace
    return transfer
