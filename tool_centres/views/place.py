"""The place's roster, opening hours, closures and kits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending import services as lending
from lending.models import Closure, Kit, OpeningHours, Place, PlaceRole
from lending.services.places import can_manage_place
from sharing_city.core.errors import DomainError
from tool_centres import selectors
from tool_centres.exceptions import UnknownCode
from tool_centres.forms import (
    ClosureForm,
    HoursForm,
    KitForm,
    RosterForm,
)
from tool_centres.views.common import (
    desk_place,
)

# --- The place: roster, opening hours, closures ----------------------------------------------


def _place_page(
    request: HttpRequest, place: Place, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "place": place,
        "can_manage": can_manage_place(request.user, place),
        "roster": list(place.roles.select_related("user").order_by("role", "user__full_name")),
        "hours": list(place.opening_hours.all()),
        "closures": list(place.closures.filter(date__gte=timezone.localdate())[:50]),
        "roster_form": forms.get("roster_form") or RosterForm(),
        "hours_form": forms.get("hours_form") or HoursForm(),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        # Kits: titles lent together, booked as one (lending.services.kits).
        "kits": list(place.kits.filter(published=True).prefetch_related("titles")),
        "kit_form": forms.get("kit_form") or KitForm(),
    }
    return render(request, "tool_centres/place.html", context, status=status)


@login_required
@require_GET
def place_settings(request: HttpRequest, slug: str) -> HttpResponse:
    return _place_page(request, desk_place(request, slug))


PLACE_FORMS = {"roster": RosterForm, "hours": HoursForm, "closure": ClosureForm, "kit": KitForm}


@login_required
@require_POST
def place_change(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    """Add to the roster, the hours or the closures; leads and district staff only."""
    place = desk_place(request, slug)
    if what not in PLACE_FORMS or not can_manage_place(request.user, place):
        raise PermissionDenied
    form = PLACE_FORMS[what](request.POST)
    if form.is_valid():
        try:
            _apply_place_change(request, place, what, form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("tool_centres:place", slug=place.slug)
    return _place_page(request, place, status=400, **{f"{what}_form": form})


def _apply_place_change(request: HttpRequest, place: Place, what: str, data: dict) -> None:
    if what == "roster":
        members = selectors.find_members(data["member"]) or selectors.members_by_email(
            data["member"]
        )
        if len(members) != 1:
            raise UnknownCode(data["member"])
        lending.assign_role(place=place, user=members[0], role=data["role"], by=request.user)
    elif what == "hours":
        lending.add_opening_hours(place=place, by=request.user, **data)
    elif what == "kit":
        lending.publish_kit(place=place, by=request.user, **data)
    else:
        lending.add_closure(place=place, by=request.user, **data)


@login_required
@require_POST
def place_remove(request: HttpRequest, slug: str, what: str, pk: int) -> HttpResponse:
    place = desk_place(request, slug)
    if not can_manage_place(request.user, place):
        raise PermissionDenied
    if what == "roster":
        role = get_object_or_404(PlaceRole, pk=pk, place=place)
        lending.remove_role(place=place, user=role.user, by=request.user)
    elif what == "hours":
        lending.remove_opening_hours(
            hours=get_object_or_404(OpeningHours, pk=pk, place=place), by=request.user
        )
    elif what == "closure":
        lending.remove_closure(
            closure=get_object_or_404(Closure, pk=pk, place=place), by=request.user
        )
    elif what == "kit":
        lending.withdraw_kit(kit=get_object_or_404(Kit, pk=pk, place=place), by=request.user)
    else:
        raise PermissionDenied
    messages.success(request, _("Removed."))
    return redirect("tool_centres:place", slug=place.slug)
