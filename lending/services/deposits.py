"""Deposits: taken at check-out, given back at check-in, kept in part for damage (with the
reason) or in full for a lost item. Each movement is a cash-book line (DepositEntry) and an
Event. Called inside the check-out, check-in and lost workflows, under the item's lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lending.exceptions import DepositKeptTooMuch, ReasonRequired
from lending.models import DepositEntry, Event, Loan

from .common import _event

ACTION: dict[str, str] = {
    DepositEntry.Kind.COLLECTED: Event.Action.DEPOSIT_COLLECTED,
    DepositEntry.Kind.REFUNDED: Event.Action.DEPOSIT_REFUNDED,
    DepositEntry.Kind.KEPT: Event.Action.DEPOSIT_KEPT,
}


def held_for(loan: Loan) -> Decimal:
    """What the place still holds of this loan's deposit."""
    return DepositEntry.objects.filter(loan=loan).held()


def _entry(loan: Loan, kind: str, amount: Decimal, at: dt.datetime, by: Any, reason: str) -> None:
    DepositEntry.objects.create(
        loan=loan,
        place_id=loan.place_id,
        member_id=loan.member_id,
        kind=kind,
        amount=amount,
        reason=reason,
        at=at,
        by=by,
    )
    _event(
        ACTION[kind],
        at,
        by,
        member_id=loan.member_id,
        place_id=loan.place_id,
        item_id=loan.item_id,
        loan=loan,
        reason=reason,
        data={"amount": str(amount)},
    )


def collect(loan: Loan, *, at: dt.datetime, by: Any) -> None:
    """The loan's deposit (its rule's, copied onto the loan) is taken with the item."""
    if loan.deposit > 0:
        _entry(loan, DepositEntry.Kind.COLLECTED, loan.deposit, at, by, "")


def settle(
    loan: Loan, *, at: dt.datetime, by: Any, keep: Decimal = Decimal(0), reason: str = ""
) -> None:
    """Give back what is held, keeping `keep` of it (with a reason)."""
    held = held_for(loan)
    keep = Decimal(keep or 0)
    if keep < 0 or keep > held:
        raise DepositKeptTooMuch(held=held)
    if keep > 0 and not reason.strip():
        raise ReasonRequired
    if keep > 0:
        _entry(loan, DepositEntry.Kind.KEPT, keep, at, by, reason.strip())
    if held - keep > 0:
        _entry(loan, DepositEntry.Kind.REFUNDED, held - keep, at, by, "")


def keep_all(loan: Loan, *, at: dt.datetime, by: Any, reason: str) -> None:
    held = held_for(loan)
    if held > 0:
        _entry(loan, DepositEntry.Kind.KEPT, held, at, by, reason)
