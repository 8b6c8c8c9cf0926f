"""Who may coordinate which district's home-share. Every view and API view asks here.

Only the district's coordinators (and city admins) see applications, runs and matches of a
district; an applicant sees their own applications and matches. Everyone else: 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from sharing_city.accounts.access import can_see_district, districts_visible_to
from sharing_city.accounts.models import District, Role

from .models import HostApplication, Match, StudentApplication


def is_coordinator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_city_admin or user.role == Role.COORDINATOR


def coordinated_districts(user: Any) -> QuerySet[District]:
    """The districts whose home-share this user coordinates (none for residents and staff)."""
    if not is_coordinator(user):
        return District.objects.none()
    return districts_visible_to(user)


def can_coordinate(user: Any, district: District | None) -> bool:
    return is_coordinator(user) and can_see_district(user, district)


def require_coordinator(user: Any) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def require_coordinator_of(user: Any, district: District | None) -> None:
    if not can_coordinate(user, district):
        raise PermissionDenied


def require_own_application(user: Any, application: HostApplication | StudentApplication) -> None:
    if not getattr(user, "is_authenticated", False) or application.applicant_id != user.pk:
        raise PermissionDenied


def require_enrolment_proof_access(user: Any, application: StudentApplication) -> None:
    """The student's proof: the student, their district's coordinators and city admins only.
    Residents, staff and other districts' coordinators get 403 (anonymous visitors are sent
    to log in by the view first)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if application.applicant_id != user.pk and not can_coordinate(user, application.district):
        raise PermissionDenied


def match_role(user: Any, match: Match) -> str:
    """'host', 'student' or 'coordinator'; anyone else is refused."""
    side = match.side_of(user) if getattr(user, "is_authenticated", False) else None
    if side is not None:
        return side
    if can_coordinate(user, match.host_application.district):
        return "coordinator"
    raise PermissionDenied


def may_see_host_contact(user: Any, match: Match) -> bool:
    """The privacy rule, for every page and API answer: the host's name, address and phone
    reach the student only once both sides have accepted; the host and the coordinator (who
    can open the match at all) always see them."""
    return match.side_of(user) != "student" or match.address_visible_to_student
