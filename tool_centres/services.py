"""Desk workflows: a basket check-out, a check-in that opens a repair ticket, repairs, transfers.

Loans go through the lending engine's services, one call per item, so each item is its own
transaction and the desk reports every item's outcome. Repairs and transfers change the item
through `lending.services` inventory functions, which join our transaction: the ticket or the
transfer and the item's status commit together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from lending import access
from lending import services as lending
from lending.exceptions import ItemAlreadyOnLoan, NotAtYourPlace, ReasonRequired
from lending.models import Booking, Item, Loan, Place
from lending.photos import add_photo
from lending.services.inventory import Displaced, NewTitle
from sharing_city.core.errors import DomainError

from .exceptions import (
    BookingsWaitForItem,
    CheckedByAnother,
    DayAlreadyClosed,
    DayNotOver,
    DifferenceNeedsNote,
    EmptyBasket,
    NothingToCheck,
    TicketClosed,
    TransferBeforeBooking,
    TransferClosed,
    TransferOfLentItem,
    TransferRefused,
    TransferUnderWay,
)
from .models import CloseOut, DeskEvent, RepairTicket, Transfer
from .notices import tell_booking_cancelled

# --- Inventory ------------------------------------------------------------------------------


def add_copy(
    *,
    place: Place,
    by: Any,
    code: str,
    title: Any,
    category: Any,
    new_name_ko: str,
    new_name_en: str,
    condition: str,
    note: str,
    photo: Any = None,
) -> Item:
    """A new copy on the place's shelf, as the inventory page adds it: of a title given, or of a
    new thing named in a category; with its photo for the title when one was taken. The copy
    commits before the photo is stored (a refused photo leaves the copy; a repeat call with the
    same code returns the copy, as `lending.services.add_item` does)."""
    new_title = None if title else NewTitle(category, new_name_ko, new_name_en)
    item = lending.add_item(
        place=place,
        code=code,
        by=by,
        title=title or None,
        new_title=new_title,
        condition=condition,
        note=note,
    )
    if photo:
        add_photo(title=item.title, upload=photo, alt_text="", by=by)
    return item


# --- Check-out and check-in -----------------------------------------------------------------


@dataclass
class BasketLine:
    """One item's outcome: the loan, or the refusal that stopped it."""

    code: str
    loan: Loan | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.loan is not None


def check_out_basket(
    *,
    member: Any,
    items: list[Item],
    place: Place,
    by: Any,
    now: dt.datetime | None = None,
    backdated_to: dt.datetime | None = None,
    override_block: bool = False,
    reason: str = "",
    confirm_due: dt.date | None = None,
) -> list[BasketLine]:
    """Lend each item in its own `check_out`: one refused item never undoes the others, and
    every line says which it was. Items already lent to this member count as done (a
    resubmitted form)."""
    access.require_work_at(by, place)
    if not items:
        raise EmptyBasket
    if (backdated_to is not None or override_block) and not reason.strip():
        raise ReasonRequired
    lines = []
    for item in items:
        line = BasketLine(code=item.code)
        try:
            line.loan = lending.check_out(
                item=item,
                member=member,
                by=by,
                place=place,
                now=now,
                backdated_to=backdated_to,
                override_block=override_block,
                reason=reason,
                confirm_due=confirm_due,  # the new return date the volunteer confirmed
            )
        except ItemAlreadyOnLoan as exc:
            line.loan = Loan.objects.open().filter(item=item, member=member).first()
            line.error = None if line.loan else exc
        except DomainError as exc:
            line.error = exc
        lines.append(line)
    return lines


@dataclass
class CheckInResult:
    loan: Loan
    ticket: RepairTicket | None
    next_booking: Booking | None


def check_in_at_desk(
    *,
    item: Item,
    place: Place,
    by: Any,
    condition: str,
    note: str = "",
    now: dt.datetime | None = None,
    backdated_to: dt.datetime | None = None,
    reason: str = "",
    deposit_kept: Decimal = Decimal(0),
    deposit_reason: str = "",
) -> CheckInResult:
    """Take an item back; damage opens a repair ticket, "needs cleaning" a cleaning ticket;
    says who it goes to next.

    The check-in and its ticket are one transaction: an item is never left in maintenance
    without a ticket, nor lent again before it is clean.
    """
    ticket = None
    with lending.one_transaction():
        loan = lending.check_in(
            item=item,
            by=by,
            place=place,
            condition=condition,
            note=note,
            now=now,
            backdated_to=backdated_to,
            reason=reason,
            deposit_kept=deposit_kept,
            deposit_reason=deposit_reason,
        )
        if loan.outcome == Loan.Outcome.DAMAGED or condition == RepairTicket.Problem.NEEDS_CLEANING:
            ticket = open_ticket(
                item=item, by=by, problem=condition, note=note, loan=loan, now=now or timezone.now()
            )
    return CheckInResult(loan=loan, ticket=ticket, next_booking=next_booking_for(item))


def next_booking_for(item: Item) -> Booking | None:
    """The booking the returned item should be put aside for: a ready hold or the next dated
    booking of this copy."""
    return (
        Booking.objects.active()
        .filter(item=item)
        .select_related("member")
        .order_by("-status", "start_date", "pk")
        .first()
    )


def _ticket_event(action: str, at: dt.datetime, by: Any, ticket: RepairTicket) -> None:
    DeskEvent.objects.create(
        action=action, at=at, actor=by, place=ticket.place, item=ticket.item, ticket=ticket
    )


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


# --- Repairs --------------------------------------------------------------------------------


def open_ticket(
    *,
    item: Item,
    by: Any,
    problem: str = "",
    note: str = "",
    loan: Loan | None = None,
    now: dt.datetime | None = None,
) -> RepairTicket:
    """Open a repair ticket: the item goes into maintenance and its bookings are moved to a
    free copy or cancelled with a notice. A cleaning ticket keeps the bookings on this copy
    (cleaning takes less than the turnaround buffer). Opening again for the same loan returns
    the first ticket."""
    now = now or timezone.now()
    with lending.one_transaction():  # joins a damaged check-in's transaction
        if loan is not None:
            existing = RepairTicket.objects.filter(loan_id_reported=loan.pk).first()
            if existing is not None:
                return existing
        change = lending.change_item_status(
            item=item,
            status=Item.Status.MAINTENANCE,
            by=by,
            reason=note or problem,
            now=now,
            keep_bookings=problem == RepairTicket.Problem.NEEDS_CLEANING,
        )
        ticket = RepairTicket.objects.create(
            item=change.item,
            place=change.item.place,
            problem=problem,
            note=note,
            loan_id_reported=loan.pk if loan is not None else None,
            opened_at=now,
            opened_by=by,
        )
        _ticket_event("ticket_opened", now, by, ticket)
        _tell_displaced(change.displaced, why="repair")
    return ticket


def start_repair(*, ticket: RepairTicket, by: Any, now: dt.datetime | None = None) -> RepairTicket:
    """Someone is working on it. Repeating it changes nothing."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        ticket = _lock_ticket(ticket, by)
        if ticket.status == RepairTicket.Status.REPAIRING:
            return ticket
        if not ticket.is_open:
            raise TicketClosed
        ticket.status = RepairTicket.Status.REPAIRING
        ticket.save(update_fields=["status"])
        _ticket_event("repair_started", now, by, ticket)
    return ticket


def close_ticket(
    *,
    ticket: RepairTicket,
    by: Any,
    outcome: str,
    resolution: str = "",
    now: dt.datetime | None = None,
) -> RepairTicket:
    """Resolved: back into lending once no other ticket of the item is open (and the next
    hold gets it). Retired: the item leaves the collection; a resolution text is the reason."""
    now = now or timezone.now()
    with lending.one_transaction():  # the ticket or transfer and the item together
        ticket = _lock_ticket(ticket, by)
        if ticket.status == outcome:
            return ticket
        if not ticket.is_open:
            raise TicketClosed
        ticket.status = outcome
        ticket.resolution = resolution
        ticket.closed_at = now
        ticket.closed_by = by
        ticket.save(update_fields=["status", "resolution", "closed_at", "closed_by"])
        _ticket_event(f"ticket_{outcome}", now, by, ticket)
        if outcome == RepairTicket.Status.RETIRED:
            change = lending.retire_item(item=ticket.item, by=by, reason=resolution, now=now)
            _tell_displaced(change.displaced, why="repair")
        elif not RepairTicket.objects.open().filter(item=ticket.item_id).exists():
            lending.change_item_status(
                item=ticket.item, status=Item.Status.ACTIVE, by=by, reason=resolution, now=now
            )
    return ticket


def _lock_ticket(ticket: RepairTicket, by: Any) -> RepairTicket:
    ticket = (
        RepairTicket.objects.select_for_update(of=("self",))
        .select_related("place")
        .get(pk=ticket.pk)
    )
    access.require_work_at(by, ticket.place)
    return ticket


def _tell_displaced(displaced: Displaced, *, why: str) -> None:
    for booking in displaced.cancelled:
        tell_booking_cancelled(booking, why=why)


# --- Transfers ------------------------------------------------------------------------------


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
        _tell_displaced(change.displaced, why="transfer")
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


# --- The cash book's close-out ------------------------------------------------------------


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
    from .selectors import cash_day

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
