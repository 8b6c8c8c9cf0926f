"""Shared by the desk's pages: the place a user may work at and the desk's session state.

The desk works without JavaScript (POST, then redirect to the desk page). The current member,
the basket and the last result live in the session, one slot per place. A refusal re-renders
the desk with the refusal's 4xx status, the message in large text and the scan field focused;
nothing is changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from lending import access
from lending.models import Loan, Place
from lending.services import deposits
from sharing_city.core.errors import DomainError
from tool_centres import selectors
from tool_centres.forms import (
    BriefingForm,
    CheckInForm,
    CheckOutForm,
    ScanForm,
    VerifyForm,
)

# --- Helpers --------------------------------------------------------------------------------


def desk_place(request: HttpRequest, slug: str) -> Place:
    """The place, if the user works there; 403 otherwise (404 for no such place)."""
    place = get_object_or_404(Place, slug=slug)
    if not access.can_work_at(request.user, place):
        raise PermissionDenied
    return place


def _state(request: HttpRequest, place: Place) -> dict[str, Any]:
    return request.session.setdefault(f"desk:{place.pk}", {"member": None, "basket": []})


def _save(request: HttpRequest, place: Place, state: dict[str, Any]) -> None:
    request.session[f"desk:{place.pk}"] = state


def _to_desk(place: Place) -> HttpResponse:
    return redirect("tool_centres:desk", slug=place.slug)


def _desk_context(request: HttpRequest, place: Place, **extra: Any) -> dict[str, Any]:
    state = _state(request, place)
    today = timezone.localdate()
    member = None
    basket: list[selectors.BasketLine] = []
    if state.get("member"):
        found = selectors.find_members_by_pk(state["member"])
        member = selectors.member_at_desk(found, place=place, today=today) if found else None
    if member is not None:
        items = selectors.basket_items(state.get("basket", []), place=place)
        basket = selectors.basket_lines(items, member=member.member, today=today)
    checkin = _checkin_context(state.get("checkin"), place)
    return {
        "place": place,
        "scan_form": extra.pop("scan_form", None) or ScanForm(),
        "checkout_form": extra.pop("checkout_form", None) or CheckOutForm(),
        "desk": member,
        "basket": basket,
        "primary": _primary_action(member, basket, checkin),
        "checkin": checkin,
        "result": selectors.last_result(state.get("result")),
        "choices": extra.pop("choices", None),
        "briefing_form": BriefingForm() if member else None,
        "verify_form": extra.pop("verify_form", None) or VerifyForm(),
        **extra,
    }


def _primary_action(
    member: selectors.MemberAtDesk | None, basket: list[Any], checkin: Any
) -> dict[str, Any] | None:
    """What the sticky bar's button does, and what Enter in the empty scan field does: check
    in the scanned item, check out the basket, or check out today's pickups."""
    if checkin:
        return {"kind": "check_in"}
    if member is None:
        return None
    if basket:
        deposit = sum((line.deposit for line in basket), Decimal(0))
        return {"kind": "basket", "count": len(basket), "deposit": deposit}
    if member.pickups:
        items = [booking.item for booking in member.pickups if booking.item is not None]
        return {
            "kind": "pickups",
            "count": len(member.pickups),
            "deposit": selectors.deposits_for(items),
        }
    return None


def _checkin_context(code: str | None, place: Place) -> dict[str, Any] | None:
    if not code:
        return None
    item = selectors.item_by_code(code)
    if item is None or item.place_id != place.pk:
        return None
    loan = Loan.objects.open().filter(item=item).select_related("member").first()
    if loan is None:
        return None
    return {
        "item": item,
        "loan": loan,
        "deposit_held": deposits.held_for(loan),
        "form": CheckInForm(initial={"code": item.code}),
    }


def _refuse(request: HttpRequest, place: Place, error: DomainError, **extra: Any) -> HttpResponse:
    context = _desk_context(request, place, error=error, **extra)
    return render(request, "tool_centres/desk.html", context, status=error.http_status)
