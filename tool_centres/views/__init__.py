"""The desk's pages, one module per subject."""

from .cash import cash_book, cash_csv, check_close_out, close_day
from .day import renew, repairs, ticket_action, today, transfer_action, transfers
from .desk import (
    check_in,
    check_out,
    choose_member,
    desk,
    finish_member,
    my_places,
    receipt,
    record_briefing,
    remove_from_basket,
    scan,
    send_receipt,
    verify_member,
)
from .inventory import cards, edit_item, inventory, labels, retire_item
from .place import place_change, place_remove, place_settings

__all__ = [
    "cards",
    "cash_book",
    "cash_csv",
    "check_close_out",
    "check_in",
    "check_out",
    "choose_member",
    "close_day",
    "desk",
    "edit_item",
    "finish_member",
    "inventory",
    "labels",
    "my_places",
    "place_change",
    "place_remove",
    "place_settings",
    "receipt",
    "record_briefing",
    "remove_from_basket",
    "renew",
    "repairs",
    "retire_item",
    "scan",
    "send_receipt",
    "ticket_action",
    "today",
    "transfer_action",
    "transfers",
    "verify_member",
]
