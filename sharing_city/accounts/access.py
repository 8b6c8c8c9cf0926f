"""Who may see and do what, by role and district. Every view and API view asks here.

Place-level rules (volunteers at their own places) live in lending.access, which builds on these.
Each helper fails closed: an inactive or anonymous user is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .models import District, Role, User


def has_role(user: Any, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_city_admin or user.role in roles


def can_see_district(user: Any, district: District | None) -> bool:
    """Staff and coordinators see their own district; city admins see every district."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_city_admin:
        return True
    if district is None:
        return False
    return user.role in (Role.STAFF, Role.COORDINATOR) and user.district_id == district.pk


def districts_visible_to(user: Any) -> QuerySet[District]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return District.objects.none()
    if user.is_city_admin:
        return District.objects.all()
    if user.role in (Role.STAFF, Role.COORDINATOR) and user.district_id:
        return District.objects.filter(pk=user.district_id)
    return District.objects.none()


def role_required(*roles: str) -> Callable:
    """View decorator: log in first, then 403 unless the user has one of the roles (or is admin)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def landing_url_name(user: User) -> str:
    """Where each role starts after logging in."""
    if user.is_city_admin or user.role == Role.STAFF:
        return "accounts:staff-home"
    if user.role == Role.COORDINATOR:
        return "accounts:coordinator-home"
    if user.role == Role.VOLUNTEER:
        return "accounts:volunteer-home"
    return "accounts:profile"


def may_edit_city_settings(user: Any) -> bool:
    """City-wide settings (impact factors, anything every district's figures read): city
    admins only. District staff run their district; they must not change everyone's figures."""
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and user.is_city_admin)
