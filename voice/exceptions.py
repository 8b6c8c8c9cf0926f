"""Named refusals of voice: each has a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput, NotAllowed


class VoiceRefused(DomainError):
    code = "voice_refused"


class NotYourAsk(NotAllowed):
    code = "not_your_ask"
    default_message = _(
        "Only staff and volunteers of the place that owns this request may do this."
    )


class AskTextInvalid(InvalidInput):
    code = "ask_text"
    default_message = _("Write what you need in a few words (at most 1000 characters).")


class NoDistrict(InvalidInput):
    code = "ask_no_district"
    default_message = _("Choose a place, or set your district on your profile first.")


class OwnAsk(VoiceRefused):
    code = "own_ask"
    default_message = _("This is your own request: it already counts you.")


class AskClosed(VoiceRefused):
    code = "ask_closed"
    default_message = _("This request is closed.")


class ReasonNeeded(InvalidInput):
    code = "reason_needed"
    default_message = _("Say why: planned, acquired and declined need a reason.")


class TitleNeeded(InvalidInput):
    code = "title_needed"
    default_message = _("Name the title that is now in the catalogue.")


class BadStatus(InvalidInput):
    code = "bad_status"
    default_message = _("Choose planned, acquired, declined or answered.")


class BadMerge(VoiceRefused):
    code = "bad_merge"
    default_message = _("A request can only join another open request of the same place.")


class NoHoldOffered(VoiceRefused):
    code = "no_hold_offered"
    default_message = _("A hold is offered to those who asked, once the item is in the catalogue.")
