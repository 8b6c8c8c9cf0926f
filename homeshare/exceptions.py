"""Named refusals of the home-share programme; views and the API show their translated reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput, NotAllowed

__all__ = [
    "AgreementRefused",
    "ApplicationRefused",
    "DomainError",
    "InvalidInput",
    "MatchRefused",
    "NotAllowed",
]


class ApplicationRefused(DomainError):
    code = "application_refused"
    default_message = _("This application cannot be changed now.")


class MatchRefused(DomainError):
    code = "match_refused"
    default_message = _("This match cannot be made.")


class AgreementRefused(DomainError):
    code = "agreement_refused"
    default_message = _("This agreement cannot be changed now.")
