"""The catalogue, the item page, a resident's bookings and loans, photos and the CSV import.

A refusal re-renders the page with the translated reason and the refusal's 4xx status, so a
resident sees why and a script sees the status; nothing is changed.
"""

from .community import book_kit, hide_tip, kits, leave_tip, mark_tip, my_lists, save_to_list
from .mine import cancel_booking, my_bookings, my_history, my_loans, renew
from .search import PAGE_SIZE, CappedPaginator, catalogue
from .stewards import import_list, import_template
from .titles import book, join_queue, title_detail, title_url, upload_photo

__all__ = [
    "PAGE_SIZE",
    "CappedPaginator",
    "book",
    "book_kit",
    "cancel_booking",
    "catalogue",
    "hide_tip",
    "import_list",
    "import_template",
    "join_queue",
    "kits",
    "leave_tip",
    "mark_tip",
    "my_bookings",
    "my_history",
    "my_lists",
    "my_loans",
    "renew",
    "save_to_list",
    "title_detail",
    "title_url",
    "upload_photo",
]
