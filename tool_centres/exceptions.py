"""Named refusals of the desk. Each says what happened and what to do next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput


class UnknownCode(InvalidInput):
    code = "unknown_code"
    http_status = 404

    def __init__(self, scanned: object) -> None:
        # str(): a JSON body may carry a number where the code goes (found by schemathesis)
        self.scanned = str(scanned)
        super().__init__(
            _(
                "Nothing has the code “%(code)s”. Check the label, type it again, or search "
                "the member by phone or name."
            )
            % {"code": self.scanned[:40]}
        )


class NoMemberChosen(InvalidInput):
    code = "no_member"
    default_message = _("Scan the member's card first, then the items.")


class ReceiptForOneMember(InvalidInput):
    code = "receipt_one_member"
    default_message = _("A receipt lists the loans of one member: send one for each.")


class EmptyBasket(InvalidInput):
    code = "empty_basket"
    default_message = _("The basket is empty: scan the items to lend first.")


class TicketClosed(DomainError):
    code = "ticket_closed"
    default_message = _("This repair ticket is already closed.")


class TransferRefused(DomainError):
    code = "transfer_refused"
    default_message = _("This transfer cannot go ahead.")


class TransferUnderWay(TransferRefused):
    code = "transfer_under_way"
    default_message = _("This item is already being transferred. Finish or cancel that first.")


class TransferClosed(TransferRefused):
    code = "transfer_closed"
    default_message = _("This transfer has already ended.")


class BookingsWaitForItem(TransferRefused):
    code = "bookings_wait"
    default_message = _(
        "Members have booked this item and no other copy is free for them. Send it after "
        "their bookings, or cancel the transfer."
    )


class TransferOfLentItem(TransferRefused):
    code = "transfer_item_on_loan"

    def __init__(self, *, item_code: str, due: object) -> None:
        super().__init__(
            _("%(code)s is on loan until %(due)s. Ask for the transfer once it is back.")
            % {"code": item_code, "due": due}
        )


class TransferBeforeBooking(TransferRefused):
    code = "transfer_booked_soon"

    def __init__(self, *, item_code: str, start: object, days: int) -> None:
        super().__init__(
            _(
                "%(code)s is booked here from %(date)s, within the %(days)d days a transfer "
                "takes, and no other copy is free for that booking. Transfer another copy, or "
                "ask again after it."
            )
            % {"code": item_code, "date": start, "days": days}
        )


class DayAlreadyClosed(DomainError):
    code = "day_closed"
    http_status = 409
    default_message = _("This day is already closed. A second volunteer can check it.")


class DayNotOver(InvalidInput):
    code = "day_not_over"
    default_message = _("A day can be closed on the day itself or later, not before.")


class DifferenceNeedsNote(InvalidInput):
    code = "difference_needs_note"
    default_message = _("The count differs from the cash book: say why in the note.")


class CheckedByAnother(InvalidInput):
    code = "check_by_another"
    http_status = 403
    default_message = _("A second volunteer checks the close-out, not the one who closed it.")


class NothingToCheck(DomainError):
    code = "nothing_to_check"
    http_status = 409
    default_message = _("There is no close-out of this day to check, or it is already checked.")
