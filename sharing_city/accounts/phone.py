"""Phone numbers are kept in one normalised form so a desk can search by them."""

import re

_DIGITS = re.compile(r"\D+")


def normalise_phone(raw: str) -> str | None:
    """Return digits with an optional leading '+', or None when it cannot be a phone number."""
    raw = raw.strip()
    plus = raw.startswith("+")
    digits = _DIGITS.sub("", raw)
    if not 8 <= len(digits) <= 15:
        return None
    return ("+" if plus else "") + digits
