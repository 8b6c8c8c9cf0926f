"""Home-share pages: applicants apply and answer proposals; coordinators screen, match, agree.

Each view parses, asks homeshare.access, calls one service or selector, and renders. A refusal
from a service is shown with its reason and a 4xx status (see `refusals`).

One module per audience: applicants, coordinators, staff; what they share in common.
"""

from .applicants import (
    application,
    apply,
    confirm_agreement,
    leave_reference,
    match_detail,
    respond,
    start,
    withdraw,
)
from .coordinators import (
    agreement_detail,
    coordinator,
    create_agreement,
    decide,
    end,
    enrolment_proof,
    extend,
    propose,
    record_check,
    record_check_in,
    record_meeting,
    record_screening,
    review,
    run_detail,
    run_matching,
)
from .staff import commute_table

__all__ = [
    "agreement_detail",
    "application",
    "apply",
    "commute_table",
    "confirm_agreement",
    "coordinator",
    "create_agreement",
    "decide",
    "end",
    "enrolment_proof",
    "extend",
    "leave_reference",
    "match_detail",
    "propose",
    "record_check",
    "record_check_in",
    "record_meeting",
    "record_screening",
    "respond",
    "review",
    "run_detail",
    "run_matching",
    "start",
    "withdraw",
]
