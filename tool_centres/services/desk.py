"""The desk's own steps: adding a copy, a basket check-out, a check-in that may open a repair."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lending import access
from lending import services as lending
from lending.exceptions import ItemAlreadyOnLoan, ReasonRequired
from lending.models import Booking, Item, Loan, Place
from lending.photos import add_photo
from lending.services.inventory import NewTitle
from sharing_city.core.errors import DomainError

from ..exceptions import EmptyBasket
from ..models import RepairTicket
from .repairs import open_ticket

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
