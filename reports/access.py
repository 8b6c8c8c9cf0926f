"""Who may read which staff report: staff their own district, city admins any district and the
whole city. Residents, volunteers and coordinators may not. Fails closed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sharing_city.accounts.access import can_see_district, has_role
from sharing_city.accounts.models import District

CITY = "city"


def report_district(user: Any, code: str) -> District | None:
    """The district a staff report is about (None: the whole city), or 403/404."""
    if not has_role(user, "staff"):
        raise PermissionDenied
    if code == CITY:
        if not user.is_city_admin:
            raise PermissionDenied
        return None
    district = District.objects.filter(city=settings.CITY_SLUG, code=code).first()
    if district is None:
        raise Http404
    if not can_see_district(user, district):
        raise PermissionDenied
    return district
