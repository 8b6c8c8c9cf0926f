"""The check-out receipt by email, in the member's language."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from lending.models import Loan, Place


def email_receipt(loans: list[Loan], *, place: Place) -> bool:
    """Send one receipt for the loans of one member; False when they have no email address."""
    member = loans[0].member
    if not member.email:
        return False
    with translation.override(member.preferred_language or "ko"):
        context = {"loans": loans, "place": place, "member": member}
        subject = render_to_string("tool_centres/emails/receipt_subject.txt", context).strip()
        body = render_to_string("tool_centres/emails/receipt_body.txt", context)
    EmailMessage(subject=subject, body=body, to=[member.email]).send()
    return True
