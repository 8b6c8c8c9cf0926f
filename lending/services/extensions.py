"""Small additions that programmes built on lending need: extend a loan by a number of days up
to a cap on its total length, and change an item's operational status with an event row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lending import access
from lending.exceptions import ItemAlreadyOnLoan, ItemNotLendable, RenewalRefused
from lending.models import Event, Item, Loan, Occupancy
from lending.rules import rule_for

from .common import _event, _lock_item, _set_status, _today, workflow_transaction


def extend_loan(
    *, loan: Loan, days: int, max_total_days: int, by: Any, now: dt.datetime | None = None
) -> Loan:
    """Move a loan's due date `days` later, so that the loan lasts at most `max_total_days`
    from its check-out day. Refused when overdue, closed, past the cap or booked after.

    Extending to a due date the loan already has is a no-op (a double-clicked form)."""
    now = now or timezone.now()
    with workflow_transaction():
        _lock_item(loan.item_id)
        loan = Loan.objects.select_related("item__title", "place").get(pk=loan.pk)
        if not access.can_manage_loan(by, loan):
            access.require_work_at(by, loan.place)
        today = _today(now)
        if not loan.is_open:
            raise RenewalRefused("closed")
        if loan.is_overdue(today):
            raise RenewalRefused("overdue")
        start = _today(loan.checked_out_at)
        new_due = min(
            loan.due_date + dt.timedelta(days=days), start + dt.timedelta(days=max_total_days)
        )
        if new_due <= loan.due_date:
            raise RenewalRefused("limit_reached")
        rule = rule_for(loan.item.title.category_id, loan.place_id)
        new_end = new_due + dt.timedelta(days=1 + rule.turnaround_days)
        if (
            Occupancy.objects.overlapping(loan.item_id, loan.due_date, new_end)
            .exclude(loan=loan)
            .exists()
        ):
            raise RenewalRefused("someone_waits")
        old_due = loan.due_date
        loan.due_date = new_due
        loan.save(update_fields=["due_date"])
        try:
            with transaction.atomic():
                Occupancy.objects.filter(loan=loan).update(end=new_end)
        except IntegrityError as exc:  # a booking slipped in: the exclusion constraint says so
            raise RenewalRefused("someone_waits") from exc
        _event(
            Event.Action.RENEW,
            now,
            by,
            member=loan.member,
            place=loan.place,
            item=loan.item,
            loan=loan,
            data={"from": old_due.isoformat(), "to": new_due.isoformat(), "extension": True},
        )
    return loan


def set_item_status(
    *, item: Item, status: str, by: Any, reason: str = "", now: dt.datetime | None = None
) -> Item:
    """Put an item into maintenance, back into lending, or retire it; an event row records it.

    Refused while the item is on loan (return it first). Setting the status it has is a no-op."""
    now = now or timezone.now()
    if status not in Item.Status.values:
        raise ItemNotLendable
    with workflow_transaction():
        item = _lock_item(item)
        access.require_work_at(by, item.place)
        if item.status == status:
            return item
        if Loan.objects.filter(item=item, returned_at__isnull=True).exists():
            raise ItemAlreadyOnLoan
        _set_status(item, status, by=by, at=now, reason=reason)
    return item
