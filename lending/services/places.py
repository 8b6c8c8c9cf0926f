"""Running a place: its roster of volunteers, weekly opening hours and closure days.

Managed by the place's lead volunteers, staff of its district and city admins. Each change is
an Event row (action "status", `data.place_change` says what), so the audit trail shows who
changed the roster or the hours. Adding what exists, or removing what is gone, is a no-op.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lending.exceptions import NotAtYourPlace
from lending.models import Closure, Event, OpeningHours, Place, PlaceRole
from sharing_city.core.errors import InvalidInput
from sharing_city.core.request_memo import forget

from .common import _event


class HoursInvalid(InvalidInput):
    code = "hours_invalid"
    default_message = _("Opening time must be before closing time, without overlapping hours.")


def can_manage_place(user: Any, place: Place) -> bool:
    """Leads of the place, staff of its district, city admins."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_city_admin or (user.role == "staff" and user.district_id == place.district_id):
        return True
    return PlaceRole.objects.filter(place=place, user=user, role=PlaceRole.Role.LEAD).exists()


def require_manage_place(user: Any, place: Place) -> None:
    if not can_manage_place(user, place):
        raise NotAtYourPlace(_("Only a lead volunteer or district staff can change this."))


def _log(place: Place, by: Any, now: dt.datetime, change: str, **data: Any) -> None:
    member = data.pop("member", None)
    _event(
        Event.Action.STATUS,
        now,
        by,
        place=place,
        member=member,
        data={"place_change": change, **data},
    )


def assign_role(
    *, place: Place, user: Any, role: str, by: Any, now: dt.datetime | None = None
) -> PlaceRole:
    """Put a member on the roster as volunteer or lead (or change their role)."""
    now = now or timezone.now()
    if role not in PlaceRole.Role.values:
        raise InvalidInput()
    with transaction.atomic(durable=True):
        require_manage_place(by, place)
        existing = PlaceRole.objects.select_for_update().filter(place=place, user=user).first()
        if existing is not None and existing.role == role:
            return existing
        if existing is None:
            try:
                with transaction.atomic():
                    existing = PlaceRole.objects.create(place=place, user=user, role=role)
            except IntegrityError:  # added by another lead a moment ago
                return PlaceRole.objects.get(place=place, user=user)
        else:
            existing.role = role
            existing.save(update_fields=["role"])
        _log(place, by, now, "roster", member=user, role=role)
    forget()  # who may work where changed: this request asks again
    return existing


def remove_role(*, place: Place, user: Any, by: Any, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        require_manage_place(by, place)
        deleted, _by_model = PlaceRole.objects.filter(place=place, user=user).delete()
        if deleted:
            _log(place, by, now, "roster", member=user, role=None)
    forget()


def add_opening_hours(
    *,
    place: Place,
    weekday: int,
    opens: dt.time,
    closes: dt.time,
    by: Any,
    now: dt.datetime | None = None,
) -> OpeningHours:
    """Add a weekly opening period; refused when it ends before it starts or overlaps one."""
    now = now or timezone.now()
    if opens >= closes:
        raise HoursInvalid
    with transaction.atomic(durable=True):
        require_manage_place(by, place)
        same_day = OpeningHours.objects.select_for_update().filter(place=place, weekday=weekday)
        for period in same_day:
            if (period.opens, period.closes) == (opens, closes):
                return period
            if period.opens < closes and opens < period.closes:
                raise HoursInvalid
        hours = OpeningHours.objects.create(
            place=place, weekday=weekday, opens=opens, closes=closes
        )
        _log(place, by, now, "hours_added", weekday=weekday, opens=str(opens), closes=str(closes))
    return hours


def remove_opening_hours(*, hours: OpeningHours, by: Any, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        require_manage_place(by, hours.place)
        deleted, _by_model = OpeningHours.objects.filter(pk=hours.pk).delete()
        if deleted:
            _log(
                hours.place, by, now, "hours_removed", weekday=hours.weekday, opens=str(hours.opens)
            )


def add_closure(
    *, place: Place, date: dt.date, reason: str, by: Any, now: dt.datetime | None = None
) -> Closure:
    """Close the place on a day (a holiday, an event). Due dates roll past it from now on."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        require_manage_place(by, place)
        closure, created = Closure.objects.get_or_create(
            place=place, date=date, defaults={"reason": reason[:200]}
        )
        if created:
            _log(place, by, now, "closure_added", date=date.isoformat(), reason=reason[:200])
    return closure


def remove_closure(*, closure: Closure, by: Any, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        require_manage_place(by, closure.place)
        deleted, _by_model = Closure.objects.filter(pk=closure.pk).delete()
        if deleted:
            _log(closure.place, by, now, "closure_removed", date=closure.date.isoformat())
