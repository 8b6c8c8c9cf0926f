"""Home-share workflows: apply, screen, match, propose, agree, check in, extend, end.

One module per subject; import them from here. Every public service runs in one durable
transaction, locks the rows it changes, refuses bad states with a named error (nothing
changed), treats a harmless repeat as a no-op, and writes an Event row. Nothing here logs
personal data (birth date, address, phone).
"""

from .agreements import (
    add_months,
    check_in_dates,
    confirm_agreement,
    create_agreement,
    end_agreement,
    extend_agreement,
    leave_reference,
    record_check_in,
    reference_open_to,
)
from .applications import (
    host_background_check_required,
    missing_checks,
    record_check,
    record_screening,
    save_application,
    screen_application,
    withdraw_application,
)
from .matches import propose_match, record_meeting, respond_to_match
from .runs import (
    KEEP_EXCLUSIONS_UP_TO,
    RUN_MAX_ATTEMPTS,
    execute_run,
    run_claim_timeout,
    run_matching,
    set_commute_minutes,
)

__all__ = [
    "KEEP_EXCLUSIONS_UP_TO",
    "RUN_MAX_ATTEMPTS",
    "add_months",
    "check_in_dates",
    "confirm_agreement",
    "create_agreement",
    "end_agreement",
    "execute_run",
    "extend_agreement",
    "host_background_check_required",
    "leave_reference",
    "missing_checks",
    "propose_match",
    "record_check",
    "record_check_in",
    "record_meeting",
    "record_screening",
    "reference_open_to",
    "respond_to_match",
    "run_claim_timeout",
    "run_matching",
    "save_application",
    "screen_application",
    "set_commute_minutes",
    "withdraw_application",
]
