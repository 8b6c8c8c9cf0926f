"""Workflows of the Open Closet: fittings, advice sessions, outfit rentals, care, letters.

Every public function runs in one durable transaction (an outfit's check-outs and its rental
together in lending.one_transaction, see rent_outfit), refuses bad states with a named
ClosetRefused, writes a ClosetEvent row, and is harmless when repeated where a user would
expect that. Garments lend through lending.services, so lending's invariants hold for them.
"""

from .common import ROOT_CATEGORY
from .fittings import (
    book_coaching,
    book_fitting,
    cancel_fitting,
    cancel_future_fittings,
    change_fitting,
    create_slots,
    offer_session,
    save_profile,
    set_visit_state,
    write_coaching_notes,
)
from .garments import add_garment, register_donation
from .rentals import (
    answer_follow_up,
    eligibility_refusal,
    extend_rental,
    extension_quote,
    fee_terms,
    record_feedback,
    record_proof,
    rent_outfit,
    rental_amounts,
    return_garments,
    set_care,
    write_thanks,
)

__all__ = [
    "ROOT_CATEGORY",
    "add_garment",
    "answer_follow_up",
    "book_coaching",
    "book_fitting",
    "cancel_fitting",
    "cancel_future_fittings",
    "change_fitting",
    "create_slots",
    "eligibility_refusal",
    "extend_rental",
    "extension_quote",
    "fee_terms",
    "offer_session",
    "record_feedback",
    "record_proof",
    "register_donation",
    "rent_outfit",
    "rental_amounts",
    "return_garments",
    "save_profile",
    "set_care",
    "set_visit_state",
    "write_coaching_notes",
    "write_thanks",
]
