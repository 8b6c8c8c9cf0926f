"""Joining: the one workflow behind the signup page and the API's signup operation.

Either way the answer does not say whether the address already has an account (nobody learns
which): a new address gets the confirmation link, a known one a note to its owner."""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from .consent import record_consent
from .email_confirmation import send_already_registered, send_confirmation
from .forms import SignUpForm

# Each signup sends an email to the address typed: a cap per client address keeps the form
# (and the API) from being used to flood someone's inbox. One group: the page and the API
# count together.
GROUP = "signup"
RATE = "10/h"


def sign_up(form: SignUpForm) -> None:
    """The member of a valid form, unconfirmed and with both documents agreed (or, when the
    address is taken, the note to its owner)."""
    if form.email_taken():
        send_already_registered(form.cleaned_data["email"], form.cleaned_data["preferred_language"])
        return
    user = form.save(commit=False)
    user.email_confirmation_pending = True
    user.save()
    record_consent(member=user)  # both documents, their current versions, now
    send_confirmation(user)


def signup_limited(request: HttpRequest) -> bool:
    """The page's limit for a signup that is not a form post; counts this attempt."""
    return is_ratelimited(request, group=GROUP, key="ip", rate=RATE, method="POST", increment=True)
