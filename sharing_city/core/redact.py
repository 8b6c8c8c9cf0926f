"""A logging filter that keeps phone numbers out of log output.

Django logs the path of every 4xx/5xx request ("Not Found: /..."), and a path or a message can
carry what a member typed: a phone number in a desk lookup, a mistyped URL. Logs travel to
places with weaker protection than the database, so numbers that look like Korean phone numbers
are masked before any handler writes them. Attached to every handler in settings.LOGGING.
"""

from __future__ import annotations

import logging
import re

# 010-1234-5678, 01012345678, 02 123 4567, +82 10-1234-5678 ... (not dates, not short ids)
PHONE = re.compile(r"(?<!\d)(?:\+?82[-. ]?)?0?1[016789][-. ]?\d{3,4}[-. ]?\d{4}(?!\d)")


def redact(text: str) -> str:
    return PHONE.sub("[phone]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
