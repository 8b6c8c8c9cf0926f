"""Repair tickets: opened at check-in or by hand, started, closed as repaired or written off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lending import access
from lending import services as lending
from lending.models import Item, Loan

from ..exceptions import TicketClosed
from ..models import DeskEvent, RepairTicket
from .common import tell_displaced


def _ticket_event(action: str, at: dt.datetime, by: Any, ticket: RepairTicket) -> None:
    DeskEvent.objects.create(
        action=action, at=at, actor=by, place=ticket.place, item=ticket.item, ticket=ticket
    )


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
        tell_displaced(change.displaced, why="repair")
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
            tell_displaced(change.displaced, why="repair")
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
