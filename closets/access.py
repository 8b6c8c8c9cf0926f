"""Who may do what at a closet. Staff of a closet are its volunteers and leads
(lending.PlaceRole) plus district staff and city admins (lending.access). Fails closed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lending import access as lending_access
from lending.models import Place

from .exceptions import NotClosetStaff, NotYourRental
from .models import Rental


def closets_worked_by(user: Any) -> QuerySet[Place]:
    return lending_access.places_worked_by(user).filter(kind=Place.Kind.CLOSET)


def can_staff(user: Any, place: Place) -> bool:
    return place.kind == Place.Kind.CLOSET and lending_access.can_work_at(user, place)


def require_staff(user: Any, place: Place) -> None:
    if not can_staff(user, place):
        raise NotClosetStaff


def require_renter_or_staff(user: Any, rental: Rental) -> None:
    """The renter themself, or staff of the rental's closet."""
    if not getattr(user, "is_authenticated", False):
        raise NotYourRental
    if rental.member_id != user.pk and not can_staff(user, rental.place):
        raise NotYourRental
