"""Named refusals of the Open Closet. Each has a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput, NotAllowed


class ClosetRefused(DomainError):
    code = "closet_refused"


class _Formatted(DomainError):
    """A message with placeholders, filled at raise time: `GarmentUnavailable(code="J-01")`."""

    def __init__(self, **values: object) -> None:
        super().__init__(str(self.default_message) % values)


class NotClosetStaff(NotAllowed):
    code = "not_closet_staff"
    default_message = _("Only the closet's volunteers and district staff may do this.")


class SlotFull(ClosetRefused):
    code = "slot_full"
    default_message = _("This fitting time is full. Please choose another time.")


class SlotPast(ClosetRefused):
    code = "slot_past"
    default_message = _("This fitting time has already started. Please choose a later one.")


class AlreadyBooked(ClosetRefused):
    code = "already_booked"
    default_message = _("You already have a fitting booked. Change or cancel it instead.")


class TooLateToChange(_Formatted, ClosetRefused):
    code = "too_late_to_change"
    default_message = _(
        "Fittings can be changed or cancelled up to %(hours)s hours before. Please call the closet."
    )


class VisitClosed(ClosetRefused):
    code = "visit_closed"
    default_message = _("This visit has already ended.")


class VisitStateInvalid(ClosetRefused):
    code = "visit_state_invalid"
    default_message = _("A visit cannot move to that state from where it is now.")


class SessionTaken(ClosetRefused):
    code = "session_taken"
    default_message = _("Someone has just taken this advice session. Please choose another.")


class GarmentUnavailable(_Formatted, ClosetRefused):
    code = "garment_unavailable"
    default_message = _("Garment %(code)s cannot be lent now (on loan, in care or booked).")


class UnknownGarment(_Formatted, InvalidInput):
    code = "unknown_garment"
    default_message = _("No garment of this closet has the code %(code)s.")


class EmptyOutfit(InvalidInput):
    code = "empty_outfit"
    default_message = _("Choose at least one garment.")


class NotEligible(ClosetRefused):
    """The free programme's rules refuse; `reasons` lists the codes."""

    code = "not_eligible"
    MESSAGES = {
        "no_proof": _("Staff must first record proof of age and residence for this programme."),
        "too_young": _("This programme is for people aged %(min)s or over."),
        "too_old": _("This programme is for people aged %(max)s or under."),
        "not_resident": _("This programme is only for residents of the city."),
        "quota": _("The yearly limit of %(quota)s free rentals has been reached."),
    }

    def __init__(self, reasons: list[str], **values: object) -> None:
        self.reasons = reasons
        super().__init__(" ".join(str(self.MESSAGES[r]) % values for r in reasons))


class ExtensionRefused(ClosetRefused):
    code = "extension_refused"
    MESSAGES = {
        "overdue": _("This rental is overdue, so it cannot be extended. Please return it."),
        "limit": _("A rental can last at most %(days)s days in total."),
        "booked": _("Someone has booked a garment of this outfit after you."),
        "closed": _("This rental has already been returned."),
    }

    def __init__(self, reason: str, **values: object) -> None:
        self.reason = reason
        super().__init__(str(self.MESSAGES[reason]) % values, code=f"extension_{reason}")


class InterviewTooFar(_Formatted, ClosetRefused):
    code = "interview_too_far"
    default_message = _(
        "The interview is too far ahead: a rental lasts at most %(days)s days. "
        "Please come back closer to the interview."
    )


class NotYourRental(NotAllowed):
    code = "not_your_rental"
    default_message = _("This rental is not yours.")


class NothingToThank(ClosetRefused):
    code = "nothing_to_thank"
    default_message = _("This garment came without a donor's letter.")


class NotACoach(NotAllowed):
    code = "not_a_coach"
    default_message = _("Only the coach of this session may write its notes.")


class InvalidForm(InvalidInput):
    """A form on a POST-only action did not validate; its errors are the message."""

    code = "invalid_form"

    def __init__(self, form: object) -> None:
        errors = getattr(form, "errors", {})
        super().__init__(" ".join(str(e) for field in errors.values() for e in field) or None)


class GarmentCodeTaken(_Formatted, InvalidInput):
    code = "garment_code_taken"
    default_message = _(
        "Another desk added %(code)s a moment ago. Look it up on the rail, or use another code."
    )


class InvalidGarmentCode(_Formatted, InvalidInput):
    code = "invalid_garment_code"
    default_message = _(
        "A garment code starts with its kind's letter (%(letter)s), then 2 to 31 capital "
        "letters, digits or dashes, and is not used by another item."
    )
