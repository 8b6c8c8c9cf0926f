"""Reads for the desk: what a scanned code is, a member at the desk, the day at a place.

Every list is a fixed number of queries whatever its length (select_related, one query per
list), so a busy Saturday renders as fast as a quiet Tuesday.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from lending.exceptions import DueDateChanged
from lending.models import Booking, DepositEntry, Item, Loan, Place
from sharing_city.accounts.models import MEMBER_NUMBER_PATTERN
from sharing_city.accounts.phone import to_e164

from .models import CloseOut, RepairTicket, Transfer

User = get_user_model()
MEMBER_NUMBER = re.compile(MEMBER_NUMBER_PATTERN)


def normalise(code: str) -> str:
    return code.strip().upper()[:64]


def item_by_code(code: str) -> Item | None:
    return (
        Item.objects.select_related("title__category", "place").filter(code=normalise(code)).first()
    )


def find_members(query: str, *, limit: int = 10) -> list[Any]:
    """A member card (member number), a phone number (with or without dashes) or its last four
    digits, or a name: one syllable matches the start of a name, longer text any part of it."""
    text = query.strip()
    if not text:
        return []
    if MEMBER_NUMBER.match(text.upper()):
        return list(User.objects.filter(member_number=text.upper(), is_active=True))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 9 and len(digits) == len(re.sub(r"[\s\-+()]", "", text)):
        stored = to_e164(text)  # phones are kept in E.164 (sharing_city/accounts/phone.py)
        if stored is None:
            return []
        return list(User.objects.filter(phone=stored, is_active=True).order_by("full_name")[:limit])
    active = User.objects.filter(is_active=True).order_by("full_name")
    if len(digits) == 4 and digits == text:  # the last four digits a member reads out
        return list(active.filter(phone__endswith=digits)[:limit])
    if len(text) < 2:  # one syllable ("김"): the start of a name, not every name holding it
        return list(active.filter(full_name__istartswith=text)[:limit])
    return list(active.filter(full_name__icontains=text)[:limit])


def is_partial_member_query(query: str) -> bool:
    """One syllable or four digits: many members may match, so the desk always asks which."""
    text = query.strip()
    return len(text) == 1 or (len(text) == 4 and text.isdigit())


@dataclass
class MemberAtDesk:
    member: Any
    loans: list[Loan]
    pickups: list[Booking]
    overdue_count: int
    blocks: list[str] = field(default_factory=list)

    @property
    def pickup_codes(self) -> list[str]:
        return [booking.item.code for booking in self.pickups if booking.item is not None]


def member_at_desk(member: Any, *, place: Place, today: dt.date) -> MemberAtDesk:
    """Their open loans (anywhere), what they collect here today, and what blocks them.

    Today's pickups are the holds set aside for them here and their dated bookings here that
    run today (the bookings the Today page lists), each with its copy.
    """
    loans = list(
        Loan.objects.open()
        .for_member(member)
        .select_related("item__title", "place")
        .order_by("due_date", "pk")
    )
    pickups = list(
        Booking.objects.active()
        .for_member(member)
        .filter(place=place, item__isnull=False)
        .filter(
            Q(status=Booking.Status.READY)
            | Q(status=Booking.Status.REQUESTED, start_date__lte=today, end_date__gte=today)
        )
        .select_related("item__title", "title")
        .order_by("pickup_deadline", "start_date", "pk")
    )
    overdue = sum(1 for loan in loans if loan.is_overdue(today))
    blocks = []
    if overdue:
        blocks.append("overdue")
    if not member.is_verified:
        blocks.append("unverified")
    if not member.is_active:
        blocks.append("inactive")
    return MemberAtDesk(member, loans, pickups, overdue, blocks)


def basket_items(codes: list[str], *, place: Place) -> list[Item]:
    found = Item.objects.select_related("title__category").filter(code__in=codes, place=place)
    by_code = {item.code: item for item in found}
    return [by_code[code] for code in codes if code in by_code]


# What would refuse a basket line now; the member's blocks can be overridden with a reason.
OVERRIDABLE = ("overdue", "unverified", "briefing")


@dataclass
class BasketLine:
    item: Item
    blocks: list[str]
    set_aside_for: Any = None
    deposit: Decimal = Decimal(0)  # what the rule asks to take with it

    @property
    def overridable(self) -> bool:
        return all(block in OVERRIDABLE for block in self.blocks)


def basket_lines(items: list[Item], *, member: Any, today: dt.date) -> list[BasketLine]:
    """Each basket item with what would refuse it now, so the volunteer sees it at scan time
    instead of at check-out. The same checks as lending.check_out, read without locks (the
    check-out still decides). Four queries per basket, plus the rule checks per category."""
    from lending.rules import rule_for
    from lending.services import member_blocks

    pks = [item.pk for item in items]
    tickets = dict(
        RepairTicket.objects.open().filter(item__in=pks).values_list("item_id", "problem")
    )
    moving = set(
        Transfer.objects.under_way().filter(item__in=pks).values_list("item_id", flat=True)
    )
    others = {
        b.item_id: b
        for b in Booking.objects.active()
        .filter(item__in=pks, occupancy__start__lte=today)
        .exclude(member=member)
        .select_related("member")
    }
    by_rule: dict[tuple[int, int], tuple[list[str], Decimal]] = {}
    lines = []
    for item in items:
        blocks = _item_blocks(item, tickets, moving)
        if item.pk in others:
            blocks.append("booked_by_other")
        key = (item.title.category_id, item.place_id)
        if key not in by_rule:
            rule = rule_for(item.title.category_id, item.place_id)
            found = member_blocks(member, today=today, rule=rule, category=item.title.category)
            by_rule[key] = ([b for b in found if b != "inactive"], rule.deposit)
        rule_blocks, deposit = by_rule[key]
        other = others.get(item.pk)
        lines.append(
            BasketLine(item, blocks + rule_blocks, other.member if other else None, deposit)
        )
    return lines


def deposits_for(items: list[Item]) -> Decimal:
    """The deposits their rules ask for, together (one rule lookup per category)."""
    from lending.rules import rule_for

    rules = {(i.title.category_id, i.place_id) for i in items}
    deposit = {key: rule_for(*key).deposit for key in rules}
    return sum((deposit[(i.title.category_id, i.place_id)] for i in items), Decimal(0))


def _item_blocks(item: Item, tickets: dict[int, str], moving: set[int]) -> list[str]:
    if item.status == Item.Status.ACTIVE:
        return []
    if item.pk in tickets:
        cleaning = tickets[item.pk] == RepairTicket.Problem.NEEDS_CLEANING
        return ["cleaning" if cleaning else "repair"]
    if item.pk in moving:
        return ["in_transit"]
    return ["not_lendable"]


@dataclass
class Day:
    pickups: list[Booking]
    due_today: list[Loan]
    overdue: list[Loan]
    repairs: list[RepairTicket]
    cleaning: list[RepairTicket]  # one tap each marks it clean
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
    tickets = list(open_tickets(place))
    return Day(
        pickups=list(pickups),
        due_today=list(loans.filter(due_date=today).order_by("item__code")),
        overdue=list(loans.filter(due_date__lt=today).order_by("due_date", "pk")),
        repairs=[t for t in tickets if not t.is_cleaning],
        cleaning=[t for t in tickets if t.is_cleaning],
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


def inventory(place: Place) -> QuerySet[Item]:
    """A place's items in code order; tool_centres.filters.InventoryFilter narrows them."""
    return Item.objects.filter(place=place).select_related("title__category").order_by("code")


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
        # A booked return date that cannot be kept: the new date, for the volunteer to confirm.
        "confirm_due": [
            [line.code, line.error.due.isoformat()]
            for line in lines
            if isinstance(line.error, DueDateChanged)
        ],
    }


def result_of_check_in(result: Any) -> dict[str, Any]:
    return {
        "kind": "check_in",
        "loan": result.loan.pk,
        "ticket": result.ticket.pk if result.ticket else None,
        "next": result.next_booking.pk if result.next_booking else None,
    }


def deposit_moves(loan: Loan | None) -> dict[str, Decimal]:
    """A returned loan's deposit: given back and kept (for the check-in's result)."""
    if loan is None:
        return {}
    return dict(
        DepositEntry.objects.filter(loan=loan)
        .exclude(kind=DepositEntry.Kind.COLLECTED)
        .values_list("kind", "amount")
    )


def receipt_loans(ids: list[int], *, place: Place | None = None) -> list[Loan]:
    """The loans a receipt lists (of this place's desk, when one is given), by item code."""
    loans = Loan.objects.filter(pk__in=ids).select_related("item__title", "member", "place")
    if place is not None:
        loans = loans.filter(place=place)
    return list(loans.order_by("item__code"))


def last_result(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The objects behind a stored result, in a fixed number of queries."""
    if not raw:
        return None
    if raw.get("kind") == "check_out":
        loans = receipt_loans(raw["loans"])
        return {
            "kind": "check_out",
            "loans": loans,
            "refused": raw.get("refused", []),
            "confirm_due": [
                (code, dt.date.fromisoformat(day)) for code, day in raw.get("confirm_due", [])
            ],
        }
    loan = Loan.objects.select_related("item__title", "member").filter(pk=raw["loan"]).first()
    ticket_id = raw.get("ticket")
    ticket = RepairTicket.objects.filter(pk=ticket_id).first() if ticket_id else None
    following = (
        Booking.objects.select_related("member").filter(pk=raw.get("next")).first()
        if raw.get("next")
        else None
    )
    return {
        "kind": "check_in",
        "loan": loan,
        "ticket": ticket,
        "next": following,
        "deposit": deposit_moves(loan),
    }


# --- The cash book ------------------------------------------------------------------------


@dataclass
class CashDay:
    """A place's deposits on one local day, and what it holds before and after."""

    place: Place
    day: dt.date
    entries: list[DepositEntry]
    held_before: Decimal
    collected: Decimal
    refunded: Decimal
    kept: Decimal
    close_out: CloseOut | None

    @property
    def held_after(self) -> Decimal:
        return self.held_before + self.collected - self.refunded - self.kept


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cash_day(place: Place, day: dt.date) -> CashDay:
    """Three queries whatever the number of entries: what was held before the day, the day's
    lines (its sums are added up from them) and the close-out."""
    start, end = _day_start(day), _day_start(day + dt.timedelta(days=1))
    book = DepositEntry.objects.filter(place=place)
    zero = Decimal(0)
    entries = list(
        book.filter(at__gte=start, at__lt=end).select_related("loan__item__title", "member", "by")
    )
    totals = dict.fromkeys(("collected", "refunded", "kept"), zero)
    for entry in entries:
        totals[entry.kind] += entry.amount
    return CashDay(
        place=place,
        day=day,
        entries=entries,
        held_before=book.filter(at__lt=start).held(),
        collected=totals["collected"],
        refunded=totals["refunded"],
        kept=totals["kept"],
        close_out=CloseOut.objects.filter(place=place, day=day)
        .select_related("closed_by", "checked_by")
        .first(),
    )
