"""The outcome loop's signed links: "did you get the job?" answered without signing in.

A link carries the rental's id signed with the site's secret (django.core.signing, salted for
this purpose only), so it answers for that one rental and nothing else; it expires after
CLOSET_OUTCOME_LINK_DAYS. Opening it shows the answers; an answer is a POST, so a mail
scanner that follows links records nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Rental

SALT = "closets.outcome"


def token_for(rental: Rental) -> str:
    return signing.dumps(rental.pk, salt=SALT)


def answer_path(rental: Rental) -> str:
    return reverse("closets:outcome-answer", args=[token_for(rental)])


def rental_for(token: str) -> Rental | None:
    """The rental the token was signed for, or None when forged, altered or expired."""
    max_age = settings.CLOSET_OUTCOME_LINK_DAYS * 24 * 3600
    try:
        pk = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(pk, int):
        return None
    return Rental.objects.select_related("place", "member").filter(pk=pk).first()
