"""A rental anchored to the interview: when to pick the outfit up, when it is due back.

The outfit is picked up within a window before the interview (CLOSET_PICKUP_DAYS_BEFORE,
default 3 to 1 days before). It is due after the category's loan length (3 nights), but never
before the day after the interview, and on a day the closet is open: a renter must be able to
wear it on the day and bring it back to an open door.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.checks import Error, register

from lending.models import Place
from lending.opening import next_open_day
from sharing_city.core import bounds


def pickup_window(interview: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day to pick the outfit up for this interview."""
    earliest, latest = settings.CLOSET_PICKUP_DAYS_BEFORE
    return interview - dt.timedelta(days=earliest), interview - dt.timedelta(days=latest)


def pickup_too_early(pickup: dt.date, interview: dt.date | None) -> bool:
    """The desk is warned: an outfit taken this early spends its nights before the interview."""
    return interview is not None and pickup < pickup_window(interview)[0]


def anchored_due(place: Place, *, rule_due: dt.date, interview: dt.date | None) -> dt.date:
    """The rental's due date: the rule's (pickup + 3 nights, already on an open day), moved to
    at least the day after the interview, then to the closet's next open day."""
    if interview is None:
        return rule_due
    return next_open_day(place, max(rule_due, interview + dt.timedelta(days=1)))


@register()
def check_pickup_window(app_configs: object = None, **kwargs: object) -> list[Error]:
    """A window outside the bounds, or upside down, is refused at start-up."""
    try:
        earliest, latest = settings.CLOSET_PICKUP_DAYS_BEFORE
        bounds.PICKUP_LEAD_DAYS.check(earliest)
        bounds.PICKUP_LEAD_DAYS.check(latest)
        if earliest < latest:
            raise ValueError
    except Exception:
        return [
            Error(
                "CLOSET_PICKUP_DAYS_BEFORE must be (earliest, latest) days before the "
                f"interview, each {bounds.PICKUP_LEAD_DAYS.low}–{bounds.PICKUP_LEAD_DAYS.high}, "
                "earliest ≥ latest.",
                id="closets.E001",
            )
        ]
    return []
