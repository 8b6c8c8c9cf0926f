"""Desk workflows: a basket check-out, a check-in that opens a repair ticket, repairs, transfers.

Loans go through the lending engine's services, one call per item, so each item is its own
transaction and the desk reports every item's outcome. Repairs and transfers change the item
through `lending.services` inventory functions, which join our transaction: the ticket or the
transfer and the item's status commit together.

One module per desk task (desk, repairs, transfers, close_out); callers import from here.
"""

from .close_out import check_close_out, close_day
from .desk import (
    BasketLine,
    CheckInResult,
    add_copy,
    check_in_at_desk,
    check_out_basket,
    next_booking_for,
)
from .repairs import close_ticket, open_ticket, start_repair
from .transfers import (
    TRANSFER_DAYS,
    cancel_transfer,
    receive_transfer,
    request_transfer,
    send_transfer,
)

__all__ = [
    "TRANSFER_DAYS",
    "BasketLine",
    "CheckInResult",
    "add_copy",
    "cancel_transfer",
    "check_close_out",
    "check_in_at_desk",
    "check_out_basket",
    "close_day",
    "close_ticket",
    "next_booking_for",
    "open_ticket",
    "receive_transfer",
    "request_transfer",
    "send_transfer",
    "start_repair",
]
