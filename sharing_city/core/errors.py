"""Named refusals. Services raise them; views and the API turn them into a 4xx with the reason."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .particles import resolve


class DomainError(Exception):
    """A rule refused the action. `code` is stable for machines; `message` is translated."""

    code = "refused"
    http_status = 409
    default_message: str | Promise = _("This action is not allowed.")

    def __init__(self, message: str | Promise | None = None, *, code: str | None = None) -> None:
        if isinstance(message, str):
            # Formatted already (a name in it): its 은(는)-style pairs can be chosen now.
            message = resolve(message)
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    code = "forbidden"
    http_status = 403
    default_message = _("You may not do this here.")


class InvalidInput(DomainError):
    code = "invalid"
    http_status = 400
    default_message = _("The input is not valid.")
