"""What lending holds about a member, for their data export (sharing_city.accounts.rights)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import Booking, Briefing, DepositEntry, Event, Loan, PlaceRole, Tip, TipMark, TitleList


def _place(obj: Any) -> str | None:
    place = getattr(obj, "place", None)
    return place.slug if place is not None else None


def _loans(user: Any) -> Iterable[Row]:
    loans = Loan.objects.filter(member=user).select_related("item__title", "place")
    for loan in loans.order_by("checked_out_at", "pk"):
        yield row(
            loan,
            "id",
            "checked_out_at",
            "due_date",
            "renewals",
            "returned_at",
            "return_condition",
            "outcome",
            "fee",
            "deposit",
            item=loan.item.code,
            title=str(loan.item.title),
            place=_place(loan),
            booking=loan.booking_id,
        )


def _bookings(user: Any) -> Iterable[Row]:
    bookings = Booking.objects.filter(member=user).select_related("title", "item", "place")
    for b in bookings.order_by("created_at", "pk"):
        yield row(
            b,
            "id",
            "status",
            "start_date",
            "end_date",
            "pickup_deadline",
            "priority",
            "created_at",
            "ready_at",
            "closed_at",
            title=str(b.title) if b.title_id else None,
            item=b.item.code if b.item_id else None,
            place=_place(b),
        )


def _briefings(user: Any) -> Iterable[Row]:
    for b in Briefing.objects.filter(member=user).select_related("category", "place"):
        yield row(b, "briefed_at", category=b.category.slug, place=_place(b))


def _deposits(user: Any) -> Iterable[Row]:
    entries = DepositEntry.objects.filter(member=user).select_related("place")
    for d in entries.order_by("at", "pk"):
        yield row(d, "kind", "amount", "reason", "at", loan=d.loan_id, place=_place(d))


def _events(user: Any) -> Iterable[Row]:
    # What happened to the member's loans and bookings; not who at the desk did it.
    for e in Event.objects.filter(member=user).order_by("at", "pk"):
        yield row(e, "at", "action", "subject", "reason")


def _roles(user: Any) -> Iterable[Row]:
    for r in PlaceRole.objects.filter(user=user).select_related("place"):
        yield row(r, "role", place=_place(r))


def _tips(user: Any) -> Iterable[Row]:
    for t in Tip.objects.filter(author=user).select_related("title", "place").order_by("pk"):
        yield row(t, "id", "text", "created_at", "hidden_at", title=str(t.title), place=_place(t))


def _tip_marks(user: Any) -> Iterable[Row]:
    for m in TipMark.objects.filter(member=user).order_by("created_at", "pk"):
        yield row(m, "kind", "created_at", tip=m.tip_id)


def _lists(user: Any) -> Iterable[Row]:
    for lst in TitleList.objects.filter(owner=user).prefetch_related("titles"):
        yield row(lst, "name", "created_at", titles=[str(t) for t in lst.titles.all()])


def _acts(user: Any) -> Iterable[Row]:
    # What the member did as a volunteer or staff member, without whom it was done to.
    for e in Event.objects.filter(actor=user).order_by("at", "pk"):
        yield row(e, "at", "action", "where")


def register() -> None:
    register_closure_rules()
    register_section("lending.loans", _("Loans"), _loans, covers=["lending.Loan.member"])
    register_section(
        "lending.bookings", _("Bookings and holds"), _bookings, covers=["lending.Booking.member"]
    )
    register_section(
        "lending.briefings", _("Safety briefings"), _briefings, covers=["lending.Briefing.member"]
    )
    register_section(
        "lending.deposits", _("Deposits"), _deposits, covers=["lending.DepositEntry.member"]
    )
    register_section("lending.events", _("Loan history"), _events, covers=["lending.Event.member"])
    register_section("lending.roles", _("Desk roles"), _roles, covers=["lending.PlaceRole.user"])
    register_section(
        "lending.acts",
        _("Desk work recorded under your name"),
        _acts,
        covers=["lending.Event.actor"],
    )
    for label in (
        "lending.Loan.checked_out_by",
        "lending.Loan.returned_by",
        "lending.Briefing.briefed_by",
        "lending.DepositEntry.by",
    ):
        register_not_exported(label, "desk work on another member's loan (its event is exported)")
    register_not_exported("lending.ImpactFactor.updated_by", "a city setting, not about a member")
    register_section("lending.tips", _("Tips you left"), _tips, covers=["lending.Tip.author"])
    register_section(
        "lending.tip_marks",
        _("Tips you marked helpful or flagged"),
        _tip_marks,
        covers=["lending.TipMark.member"],
    )
    register_section("lending.lists", _("Your lists"), _lists, covers=["lending.TitleList.owner"])
    register_not_exported("lending.Tip.hidden_by", "a volunteer's work on another member's tip")


def _refusals(user: Any) -> Iterable[str]:
    if Loan.objects.filter(member=user).open().exists():
        yield str(_("Something is still out on loan: return it first."))
    if DepositEntry.objects.filter(member=user).held() > 0:
        yield str(_("A deposit is still held for you: collect it at the desk first."))


def register_closure_rules() -> None:
    from sharing_city.accounts.rights import register_closure

    # Loans, bookings, deposits and events hold no free text of the member's: they stay.
    # Open bookings and holds are cancelled, so the items go to the next member.
    # Tips are the member's own words, lists and marks their own: they go.
    register_closure("lending", refusals=_refusals, anonymise=_forget_words)


def _forget_words(user: Any, now: Any) -> None:
    from .services import cancel_open_bookings

    cancel_open_bookings(member=user, now=now)
    Tip.objects.filter(author=user).delete()
    TipMark.objects.filter(member=user).delete()
    TitleList.objects.filter(owner=user).delete()
