"""Phone numbers: parsed and validated with `phonenumbers` (Google's libphonenumber), stored
in E.164 (+821012345678) so the desk can search them and the SMS backend can send to them,
and shown as the city's people write them (010-1234-5678; foreign numbers internationally)."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def _region() -> str:
    return settings.PHONE_REGION


def _parse(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw.strip(), _region())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def to_e164(raw: str) -> str | None:
    """The stored form of a typed number, or None when it is not a valid phone number."""
    number = _parse(raw or "")
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(stored: str) -> str:
    """010-1234-5678 for the city's own numbers, +44 20 7946 0958 for others; as stored when
    it cannot be read (a number saved before validation)."""
    number = _parse(stored or "")
    if number is None:
        return stored or ""
    if phonenumbers.region_code_for_number(number) == _region():
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
