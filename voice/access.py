"""Who may handle an ask: staff and volunteers of its place, staff of its district, city
admins. Everyone signed in may read asks and say "me too". Fails closed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lending.access import can_work_at, places_worked_by
from sharing_city.accounts.access import districts_visible_to
from sharing_city.accounts.models import Role

from .exceptions import NotYourAsk
from .models import Ask


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_handle(user: Any, ask: Ask) -> bool:
    if not _active(user):
        return False
    if user.is_city_admin:
        return True
    if user.role == Role.STAFF and user.district_id == ask.routed_district_id:
        return True
    return ask.routed_place is not None and can_work_at(user, ask.routed_place)


def require_handle(user: Any, ask: Ask) -> None:
    if not can_handle(user, ask):
        raise NotYourAsk


def may_use_inbox(user: Any) -> bool:
    return _active(user) and (
        user.is_city_admin or user.role == Role.STAFF or places_worked_by(user).exists()
    )


def inbox_for(user: Any) -> QuerySet[Ask]:
    """Asks routed to the user's places, or to the district they are staff of."""
    if not _active(user):
        return Ask.objects.none()
    if user.is_city_admin:
        return Ask.objects.all()
    districts = (
        districts_visible_to(user).filter(pk=user.district_id)
        if user.role == Role.STAFF
        else districts_visible_to(user).none()
    )
    return Ask.objects.routed_to(places_worked_by(user), districts)
