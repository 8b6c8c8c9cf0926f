"""Who sees which notices. Every notices view asks here; each helper fails closed."""

from __future__ import annotations

from typing import Any

from sharing_city.accounts.models import Role

from .models import Notice, NoticeQuerySet


def notices_of(user: Any) -> NoticeQuerySet:
    """A member's own notices."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notice.objects.none()
    return Notice.objects.for_member(user)


def notices_staff_can_manage(user: Any) -> NoticeQuerySet:
    """District staff: notices to members of their district; city admins: all of them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notice.objects.none()
    if user.is_city_admin:
        return Notice.objects.all()
    if user.role == Role.STAFF and user.district_id:
        return Notice.objects.filter(recipient__district_id=user.district_id)
    return Notice.objects.none()
