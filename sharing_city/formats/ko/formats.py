"""Korean dates and times as Korean products write them (FORMAT_MODULE_PATH in settings).

Django's own Korean formats put the half-day after the time ("11:00 오전") and leave months and
days unpadded ("2026-12-7"). Here: a date in a sentence or heading is 2026년 12월 7일, a date in a
list, table or form is 2026-12-07, and a time is 오전 11:00. Whatever is not set here (what a
person may type, separators) comes from Django's Korean formats.
"""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d A g:i"
