"""Reads for the desk: what a scanned code is, a member at the desk, the day at a place.

Every list is a fixed number of queries whatever its length (select_related, one query per
list), so a busy Saturday renders as fast as a quiet Tuesday.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from lending.models import Booking, Item, Loan, Place
from sharing_city.accounts.models import MEMBER_NUMBER_PATTERN

from .models import RepairTicket, Transfer

User = get_user_model()
MEMBER_NUMBER = re.compile(MEMBER_NUMBER_PATTERN)


def normalise(code: str) -> str:
    return code.strip().upper()[:64]


def item_by_code(code: str) -> Item | None:
    return (
        Item.objects.select_related("title__category", "place").filter(code=normalise(code)).first()
    )


def find_members(query: str, *, limit: int = 10) -> list[Any]:
    """A member card (member number), a phone number (with or without dashes), or a name."""
    text = query.strip()
    if not text:
        return []
    if MEMBER_NUMBER.match(text.upper()):
        return list(User.objects.filter(member_number=text.upper(), is_active=True))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 9 and len(digits) == len(re.sub(r"[\s\-+()]", "", text)):
        dashed = f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
        return list(
            User.objects.filter(Q(phone=digits) | Q(phone=dashed), is_active=True).order_by(
                "full_name"
            )[:limit]
        )
    if len(text) < 2:
        return []
    return list(
        User.objects.filter(full_name__icontains=text, is_active=True).order_by("full_name")[:limit]
    )


@dataclass
class MemberAtDesk:
    member: Any
    loans: list[Loan]
    ready: list[Booking]
    overdue_count: int
    blocks: list[str] = field(default_factory=list)


def member_at_desk(member: Any, *, place: Place, today: dt.date) -> MemberAtDesk:
    """Their open loans (anywhere), bookings ready for pickup here, and what blocks them."""
    loans = list(
        Loan.objects.open()
        .for_member(member)
        .select_related("item__title", "place")
        .order_by("due_date", "pk")
    )
    ready = list(
        Booking.objects.ready()
        .for_member(member)
        .filter(place=place)
        .select_related("item", "title")
        .order_by("pickup_deadline", "pk")
    )
    overdue = sum(1 for loan in loans if loan.is_overdue(today))
    blocks = []
    if overdue:
        blocks.append("overdue")
    if not member.is_verified:
        blocks.append("unverified")
    if not member.is_active:
        blocks.append("inactive")
    return MemberAtDesk(member, loans, ready, overdue, blocks)


def basket_items(codes: list[str], *, place: Place) -> list[Item]:
    found = Item.objects.select_related("title").filter(code__in=codes, place=place)
    by_code = {item.code: item for item in found}
    return [by_code[code] for code in codes if code in by_code]


@dataclass
class Day:
    pickups: list[Booking]
    due_today: list[Loan]
    overdue: list[Loan]
    repairs: list[RepairTicket]
    unticketed: list[Item]
    transfers: list[Transfer]


def day_at(place: Place, *, today: dt.date) -> Day:
    """Today's work at a place: pickups, returns due, overdue loans, repairs, transfers."""
    pickups = (
        Booking.objects.active()
        .filter(place=place)
        .filter(Q(status="ready") | Q(status="requested", start_date=today))
        .select_related("member", "item", "title")
        .order_by("pickup_deadline", "start_date", "pk")
    )
    loans = Loan.objects.open().at_place(place).select_related("member", "item__title")
    return Day(
        pickups=list(pickups),
        due_today=list(loans.filter(due_date=today).order_by("item__code")),
        overdue=list(loans.filter(due_date__lt=today).order_by("due_date", "pk")),
        repairs=list(open_tickets(place)),
        unticketed=list(items_in_maintenance_without_ticket(place)),
        transfers=list(transfers_at(place).filter(status__in=["requested", "in_transit"])),
    )


def open_tickets(place: Place) -> QuerySet[RepairTicket]:
    return RepairTicket.objects.open().at_place(place).select_related("item__title", "opened_by")


def closed_tickets(place: Place, *, limit: int = 20) -> list[RepairTicket]:
    return list(
        RepairTicket.objects.at_place(place)
        .exclude(status__in=RepairTicket.OPEN_STATUSES)
        .select_related("item__title", "closed_by")
        .order_by("-closed_at")[:limit]
    )


def items_in_maintenance_without_ticket(place: Place) -> QuerySet[Item]:
    """Items out of lending with no open ticket or transfer to say why (a crash between a
    damaged check-in and its ticket, or an engine-level status change)."""
    return (
        Item.objects.filter(place=place, status=Item.Status.MAINTENANCE)
        .exclude(repair_tickets__status__in=RepairTicket.OPEN_STATUSES)
        .exclude(transfers__status=Transfer.Status.IN_TRANSIT)
        .select_related("title")
        .distinct()
    )


def transfers_at(place: Place) -> QuerySet[Transfer]:
    return Transfer.objects.touching(place).select_related("item__title", "from_place", "to_place")


def inventory(place: Place, *, query: str = "", limit: int = 200) -> list[Item]:
    items = Item.objects.filter(place=place).select_related("title__category").order_by("code")
    if query.strip():
        items = items.filter(
            Q(code__icontains=query.strip()) | Q(title__in=_titles_matching(query))
        )
    return list(items[:limit])


def _titles_matching(query: str) -> Any:
    from lending.models import Title

    return Title.objects.matching(query).values("pk")


def find_members_by_pk(pk: int | None) -> Any:
    return User.objects.filter(pk=pk).first() if pk is not None else None


def members_by_email(email: str) -> list[Any]:
    return list(User.objects.filter(email__iexact=email.strip(), is_active=True)[:2])


def members_by_number(numbers: list[str]) -> list[Any]:
    found = {m.member_number: m for m in User.objects.filter(member_number__in=numbers)}
    return [found[n] for n in numbers if n in found]


def import_url() -> str | None:
    """The lending engine's CSV import page, once it exists."""
    from django.urls import NoReverseMatch, reverse

    for name in ("lending:import", "lending:import-items", "lending:item-import"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


# --- The last desk result, kept in the session as ids ---------------------------------------


def result_of_basket(lines: list[Any]) -> dict[str, Any]:
    return {
        "kind": "check_out",
        "loans": [line.loan.pk for line in lines if line.ok],
        "refused": [[line.code, str(line.error.message)] for line in lines if not line.ok],
    }


def result_of_check_in(result: Any) -> dict[str, Any]:
    return {
        "kind": "check_in",
        "loan": result.loan.pk,
        "ticket": result.ticket.pk if result.ticket else None,
        "next": result.next_booking.pk if result.next_booking else None,
    }


def last_result(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The objects behind a stored result, in a fixed number of queries."""
    if not raw:
        return None
    if raw.get("kind") == "check_out":
        loans = list(
            Loan.objects.filter(pk__in=raw["loans"])
            .select_related("item__title", "member", "place")
            .order_by("item__code")
        )
        return {"kind": "check_out", "loans": loans, "refused": raw.get("refused", [])}
    loan = Loan.objects.select_related("item__title", "member").filter(pk=raw["loan"]).first()
    ticket_id = raw.get("ticket")
    ticket = RepairTicket.objects.filter(pk=ticket_id).first() if ticket_id else None
    following = (
        Booking.objects.select_related("member").filter(pk=raw.get("next")).first()
        if raw.get("next")
        else None
    )
    return {"kind": "check_in", "loan": loan, "ticket": ticket, "next": following}
