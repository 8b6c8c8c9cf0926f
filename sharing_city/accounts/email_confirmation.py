"""Confirming a new member's email address before anything is sent to it.

Signup never says whether an address already has an account: either way the page says "we sent
you a link". A new address gets the confirmation link; an address already registered gets a
note to its owner instead (sign in, or reset the password). The link is a signed, expiring token
of the member and the address (django.core.signing): it stops working if the address changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import User

SALT = "sharing_city.accounts.email-confirmation"
MAX_AGE_DAYS = 7


def token_for(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT)


def member_for(token: str) -> User | None:
    """The member the token was made for, if it is genuine, recent and their address still."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 24 * 3600)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or user.email.lower() != str(data.get("e", "")):
        return None
    return user


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def send_confirmation(user: User) -> None:
    link = _site() + reverse("accounts:confirm-email", args=[token_for(user)])
    with translation.override(user.preferred_language):
        send_mail(
            _("[Sharing City] Confirm your email address"),
            _(
                "Hello %(name)s,\n\nopen this link within %(days)s days to confirm your email "
                "address and start using your member card:\n%(link)s\n\nIf you did not sign "
                "up, ignore this message: nothing will be sent to you."
            )
            % {"name": user.full_name, "days": MAX_AGE_DAYS, "link": link},
            None,
            [user.email],
        )


def send_already_registered(email: str, language: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, nobody else."""
    with translation.override(language):
        send_mail(
            _("[Sharing City] Someone tried to sign up with your address"),
            _(
                "Hello,\n\nsomeone (perhaps you) tried to create a Sharing City account with "
                "this email address, which already has one. To use it, sign in:\n%(login)s\n"
                "Forgot the password? Choose a new one here:\n%(reset)s\n\nIf it was not you, "
                "ignore this message: your account has not changed."
            )
            % {
                "login": _site() + reverse("accounts:login"),
                "reset": _site() + reverse("accounts:password-reset"),
            },
            None,
            [email],
        )


def confirm(user: User, *, now: Any = None) -> None:
    """The address is the member's: notices waiting for it are due now."""
    from sharing_city.notifications.models import Notice, NoticeStatus

    now = now or timezone.now()
    if User.objects.filter(pk=user.pk, email_confirmation_pending=True).update(
        email_confirmation_pending=False
    ):
        Notice.objects.filter(recipient=user, status=NoticeStatus.PENDING).update(
            next_attempt_at=now
        )
    user.email_confirmation_pending = False
