"""Refusals of the notification services, each with a translated reason."""

from django.utils.translation import gettext_lazy as _

from sharing_city.core.errors import DomainError, InvalidInput


class NoticeNotRetryable(DomainError):
    code = "notice_not_retryable"
    default_message = _("Only a failed notice can be sent again.")


class NoChannelChosen(InvalidInput):
    code = "no_channel"
    default_message = _("Choose at least one way for us to reach you.")


class NoPhoneForSMS(InvalidInput):
    code = "no_phone"
    default_message = _("Add a phone number to your profile before choosing text messages.")
