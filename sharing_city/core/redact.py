"""A logging filter that keeps personal data out of log output.

Django logs the path of every 4xx/5xx request ("Not Found: /..."), and a path or a message can
carry what a member typed: a phone number in a desk lookup, a mistyped URL. Logs travel to
places with weaker protection than the database, so numbers that look like Korean phone numbers
are masked before any handler writes them. Attached to every handler in settings.LOGGING.

Addresses and birth dates have no shape a pattern could catch, so they must not reach a log
message at all; the one place they do without anyone writing them is a database error in a
traceback. PostgreSQL's DETAIL lines repeat the values of the row ("Failing row contains (...)",
"Key (email)=(...)", 'invalid input syntax for type date: "..."'), so those values are cut out
of the message and of the formatted traceback, whatever the exception.
"""

from __future__ import annotations

import logging
import re

# 010-1234-5678, 01012345678, 02 123 4567, +82 10-1234-5678 ... (not dates, not short ids)
PHONE = re.compile(r"(?<!\d)(?:\+?82[-. ]?)?0?1[016789][-. ]?\d{3,4}[-. ]?\d{4}(?!\d)")
# The values PostgreSQL copies from a row or an input into its error messages.
FAILING_ROW = re.compile(r"(Failing row contains )\(.*\)")
KEY_VALUES = re.compile(r"(Key \([^)]*\)=)\(.*\)")
BAD_INPUT = re.compile(r"(invalid input (?:syntax|value) for [^:\n]*: )\"[^\n]*\"")
HIDDEN = "(…)"


def redact(text: str) -> str:
    text = FAILING_ROW.sub(rf"\g<1>{HIDDEN}", text)
    text = KEY_VALUES.sub(rf"\g<1>{HIDDEN}", text)
    text = BAD_INPUT.sub(rf"\g<1>{HIDDEN}", text)
    return PHONE.sub("[phone]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # Formatted here, once, so the handler writes the cleaned text (Formatter.format
            # uses exc_text when it is set).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
