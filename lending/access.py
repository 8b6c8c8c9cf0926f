"""Who may act at a place: its volunteers, staff of its district, city admins. Fails closed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharing_city.core.request_memo import remembered

from .exceptions import NotAtYourPlace
from .models import Booking, Loan, Place


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def places_worked_by(user: Any) -> QuerySet[Place]:
    """Places where the user may run the desk."""
    if not _active(user):
        return Place.objects.none()
    if user.is_city_admin:
        return Place.objects.all()
    condition = Q(roles__user=user)
    if user.role == "staff" and user.district_id:
        condition |= Q(district_id=user.district_id)
    return Place.objects.filter(condition).distinct()


def can_work_at(user: Any, place: Place) -> bool:
    if not _active(user):
        return False
    if user.is_city_admin:
        return True
    if user.role == "staff" and user.district_id == place.district_id:
        return True
    # Asked by the view, the basket and each item's check-out: once per request is enough.
    return remembered(
        ("volunteer_at", user.pk, place.pk), lambda: place.roles.filter(user=user).exists()
    )


def require_work_at(user: Any, place: Place) -> None:
    if not can_work_at(user, place):
        raise NotAtYourPlace


def can_manage_booking(user: Any, booking: Booking) -> bool:
    """The member who booked, or desk people at the booking's place."""
    return _active(user) and (booking.member_id == user.pk or can_work_at(user, booking.place))


def can_manage_loan(user: Any, loan: Loan) -> bool:
    return _active(user) and (loan.member_id == user.pk or can_work_at(user, loan.place))


def loans_visible_to(user: Any) -> QuerySet[Loan]:
    """A resident sees their own loans; desk people those of their places."""
    if not _active(user):
        return Loan.objects.none()
    if user.is_city_admin:
        return Loan.objects.all()
    return Loan.objects.filter(Q(member=user) | Q(place__in=places_worked_by(user)))
