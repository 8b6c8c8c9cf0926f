"""What the system does on its own about late items: presume one lost after long enough."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lending.models import Event, Item, Loan, Occupancy
from sharing_city.notifications.services import NoticeSpec, notify_many

from .common import _event, _lock_item, _set_status, _today


def mark_presumed_lost(*, loan: Loan, now: dt.datetime | None = None) -> Loan:
    """Close a loan overdue by LENDING_PRESUMED_LOST_DAYS or more as lost, make the item
    missing, and tell the place's staff and the borrower, all in one transaction (so they hear
    of every item the system wrote off, and of no item it did not).

    Does nothing to a loan already closed or not yet that late: the sweep may find a loan
    that was returned a moment ago, and may run twice.
    """
    from lending.notices import LOST_TO_BORROWER, PRESUMED_LOST, staff_of_place

    now = now or timezone.now()
    today = _today(now)
    with transaction.atomic(durable=True):
        item = _lock_item(loan.item_id)
        loan = Loan.objects.get(pk=loan.pk)
        days = settings.LENDING_PRESUMED_LOST_DAYS
        if not loan.is_open or loan.days_overdue(today) < days:
            return loan
        reason = f"presumed lost: {loan.days_overdue(today)} days overdue"
        loan.returned_at = now
        loan.outcome = Loan.Outcome.LOST
        loan.save(update_fields=["returned_at", "outcome"])
        Occupancy.objects.filter(loan=loan).delete()
        _event(
            Event.Action.LOST,
            now,
            None,
            member=loan.member,
            place=item.place,
            item=item,
            loan=loan,
            reason=reason,
        )
        _set_status(item, Item.Status.MISSING, by=None, at=now, reason=reason)
        to_staff = [
            NoticeSpec(staff_id, "loan", loan.pk, PRESUMED_LOST)
            for staff_id in staff_of_place(item.place)
        ]
        notify_many(
            [*to_staff, NoticeSpec(loan.member_id, "loan", loan.pk, LOST_TO_BORROWER)], now=now
        )
    return loan
