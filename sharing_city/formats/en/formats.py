"""English dates and times in English order, day first as the site's other English dates are
(Sat 7 Dec): 7 December 2026 in a sentence, 7 Dec 2026 in a list, 11:00 AM. Never 12/07/2026,
which a reader in Korea may take for 12 July."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, g:i A"
