"""Workflows of the lending engine, one module per subject; import them from here.

Every public function runs in one durable transaction (or joins one_transaction()), locks the
member and then the items in primary-key order, refuses bad states with a named LendingRefused,
writes an Event row, and is harmless when repeated where a user would expect that.
"""

from .bookings import (
    book,
    cancel_booking,
    cancel_open_bookings,
    expire_booking,
    make_ready,
    offer_to_next_in_line,
    place_hold,
)
from .briefings import record_briefing, verify_member
from .common import member_blocks, on_booking_ready, one_transaction, workflow_transaction
from .community import has_contact, hide_tip, leave_tip, mark_tip, remove_from_list, save_to_list
from .extensions import extend_loan, set_item_status
from .impact import impact_factors_for, set_impact_factor
from .inventory import (
    NewTitle,
    add_item,
    change_item_status,
    ensure_category,
    move_item,
    retire_item,
    update_item,
)
from .kits import book_kit, publish_kit, withdraw_kit
from .loans import check_in, check_out, mark_lost, renew, renewal_refusal
from .places import (
    add_closure,
    add_opening_hours,
    assign_role,
    remove_closure,
    remove_opening_hours,
    remove_role,
)

__all__ = [
    "NewTitle",
    "add_closure",
    "add_item",
    "add_opening_hours",
    "assign_role",
    "book",
    "book_kit",
    "cancel_booking",
    "cancel_open_bookings",
    "change_item_status",
    "check_in",
    "check_out",
    "ensure_category",
    "expire_booking",
    "extend_loan",
    "has_contact",
    "hide_tip",
    "impact_factors_for",
    "leave_tip",
    "make_ready",
    "mark_lost",
    "mark_tip",
    "member_blocks",
    "move_item",
    "offer_to_next_in_line",
    "on_booking_ready",
    "one_transaction",
    "place_hold",
    "publish_kit",
    "record_briefing",
    "remove_closure",
    "remove_from_list",
    "remove_opening_hours",
    "remove_role",
    "renew",
    "renewal_refusal",
    "retire_item",
    "save_to_list",
    "set_impact_factor",
    "set_item_status",
    "update_item",
    "verify_member",
    "withdraw_kit",
    "workflow_transaction",
]
