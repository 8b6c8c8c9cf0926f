"""Named refusals of the lending engine. Each carries a stable code and a translated message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput, NotAllowed


class LendingRefused(DomainError):
    code = "refused"


class NotAtYourPlace(NotAllowed):
    code = "not_your_place"
    default_message = _("You can only do this at a place where you volunteer.")


class ItemAtAnotherPlace(LendingRefused):
    code = "item_at_another_place"
    default_message = _("This item belongs to another place. Put it aside and tell a lead.")


class ItemNotLendable(LendingRefused):
    code = "item_not_lendable"
    default_message = _(
        "This item is not available for lending (in maintenance, retired or missing)."
    )


class ClosetFittingOnly(LendingRefused):
    """Garments are fitted first: the closet's own flow books the visit and lends them."""

    code = "closet_fitting_only"
    default_message = _(
        "Interview clothes are lent after a fitting at the Open Closet. Book a fitting there."
    )


class ItemAlreadyOnLoan(LendingRefused):
    code = "item_on_loan"
    default_message = _("This item is already on loan. Check it in first.")


class ItemNotOnLoan(LendingRefused):
    code = "item_not_on_loan"
    default_message = _("This item is not on loan, so there is nothing to check in.")


class ItemNotAvailable(LendingRefused):
    code = "item_unavailable"
    default_message = _("No copy is free for those dates.")

    @classmethod
    def booked_from(cls, day: dt.date) -> ItemNotAvailable:
        return cls(
            _("This item is booked from %(date)s. Choose other dates or another copy.")
            % {"date": date_format(day, "SHORT_DATE_FORMAT")}
        )


class NoCopyHere(LendingRefused):
    code = "no_copy_here"
    default_message = _("This place keeps no copy of this title. Choose a place that has one.")


class ItemSetAsideForSomeoneElse(LendingRefused):
    code = "item_set_aside"
    default_message = _("This item is set aside for another member's booking.")


class MemberBlocked(LendingRefused):
    """The member may not borrow now; `reasons` lists the codes (overdue, unverified, briefing)."""

    code = "member_blocked"
    MESSAGES = {
        "overdue": _("The member has overdue items; they must be returned first."),
        "unverified": _(
            "Only verified members may borrow this item; check an ID and address first."
        ),
        "briefing": _("This item needs a safety briefing first; record the briefing, then lend."),
        "inactive": _("This account is closed."),
    }

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(" ".join(str(self.MESSAGES[r]) for r in reasons))


class LimitReached(LendingRefused):
    """Borrowing one more would pass the rule's limit: says the limit and what counts."""

    code = "limit_reached"
    default_message = _("The member already has as many items out as this category allows.")

    def __init__(
        self, *, count: int | None = None, limit: int | None = None, what: str = ""
    ) -> None:
        self.count, self.limit = count, limit
        if count is None or limit is None:
            super().__init__()
            return
        super().__init__(
            _(
                "You already have %(count)d out from %(what)s; the limit is %(limit)d. "
                "Everything borrowed from %(what)s counts; return one first."
            )
            % {"count": count, "limit": limit, "what": what}
        )


class BookingLimitReached(LendingRefused):
    """One more active booking would pass the rule's limit: says the limit and what counts."""

    code = "booking_limit_reached"
    default_message = _("You already have as many active bookings as allowed. Cancel one first.")

    def __init__(self, *, count: int | None = None, limit: int | None = None) -> None:
        self.count, self.limit = count, limit
        if count is None or limit is None:
            super().__init__()
            return
        super().__init__(
            _(
                "You already have %(count)d active bookings; the limit is %(limit)d. Bookings "
                "and queue holds not yet collected count; cancel one first."
            )
            % {"count": count, "limit": limit}
        )


class BookingDatesInvalid(InvalidInput):
    code = "dates_invalid"
    default_message = _("Choose a start date from today and an end date on or after it.")


class BookingTooLong(InvalidInput):
    code = "booking_too_long"


class BeyondHorizon(InvalidInput):
    code = "beyond_horizon"


class RenewalRefused(LendingRefused):
    """Why a loan cannot be renewed: someone_waits, limit_reached, overdue, member_blocked."""

    code = "renewal_refused"
    MESSAGES = {
        "someone_waits": _("Someone is waiting for this item, so it cannot be renewed."),
        "limit_reached": _("This loan has been renewed as many times as allowed."),
        "overdue": _("This loan is overdue; please return it."),
        "member_blocked": _("Please return your overdue items first."),
        "closed": _("This loan has already ended."),
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.MESSAGES[reason], code=f"renewal_{reason}")


class BookingClosed(LendingRefused):
    code = "booking_closed"
    default_message = _("This booking has already ended.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = _("Give a reason: it is recorded in the event log.")


class FutureDate(InvalidInput):
    code = "future_date"
    default_message = _("A backdated time cannot be in the future.")


class PlaceClosed(InvalidInput):
    """A booking's pickup or return day falls on a day the place is closed."""

    code = "place_closed"

    def __init__(self, *, place_name: str, day: dt.date, reason: str) -> None:
        self.day = day
        self.reason = reason
        super().__init__(
            _("%(place)s is closed on %(date)s (%(reason)s). Choose a day it is open.")
            % {"place": place_name, "date": date_format(day, "DATE_FORMAT"), "reason": reason}
        )


class DueDateChanged(LendingRefused):
    """At check-out the booked return date cannot be kept: the volunteer must see the new
    date and confirm it (`due` is what to confirm)."""

    code = "due_date_changed"

    def __init__(self, *, booked: dt.date, due: dt.date, why: str) -> None:
        self.booked = booked
        self.due = due
        super().__init__(
            _(
                "Booked to come back on %(booked)s, but %(why)s: the return date becomes "
                "%(due)s. Tell the member, then confirm the new date."
            )
            % {
                "booked": date_format(booked, "DATE_FORMAT"),
                "due": date_format(due, "DATE_FORMAT"),
                "why": why,
            }
        )


class DepositKeptTooMuch(InvalidInput):
    code = "deposit_kept_too_much"
    default_message = _("You can keep at most the deposit held.")

    def __init__(self, *, held: Any = None) -> None:
        if held is None:
            super().__init__()
            return
        from sharing_city.core.money import won

        super().__init__(
            _("You can keep at most the deposit held: %(held)s.") % {"held": won(held)}
        )


class TipNotAllowed(NotAllowed):
    code = "tip_not_borrowed"
    default_message = _("Only someone who borrowed and returned this item can leave a tip.")


class TipAlreadyLeft(LendingRefused):
    code = "tip_already_left"
    default_message = _("You have already left a tip on this item.")


class TipHasContact(InvalidInput):
    code = "tip_has_contact"
    default_message = _(
        "A tip cannot hold a phone number or an email address. Tell the volunteers instead."
    )


class TipEmpty(InvalidInput):
    code = "tip_invalid"
    default_message = _("Write a tip of one line, up to 140 characters.")


class OwnTip(LendingRefused):
    code = "own_tip"
    default_message = _("You cannot mark your own tip.")


class ListNameInvalid(InvalidInput):
    code = "list_name_invalid"
    default_message = _("Name the list in up to 80 characters.")


class KitNotBookable(LendingRefused):
    code = "kit_not_bookable"
    default_message = _("This kit is not open for booking.")
