"""The desk: scan, basket, check-out, check-in, receipt, briefings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending import access
from lending import services as lending
from lending.exceptions import ItemAtAnotherPlace
from lending.models import Loan, Place
from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind
from sharing_city.core.errors import DomainError, InvalidInput
from tool_centres import selectors, services
from tool_centres.exceptions import NoMemberChosen, UnknownCode
from tool_centres.forms import (
    BriefingForm,
    CheckInForm,
    CheckOutForm,
    ScanForm,
    VerifyForm,
)
from tool_centres.receipts import email_receipt
from tool_centres.views.common import (
    _desk_context,
    _refuse,
    _save,
    _state,
    _to_desk,
    desk_place,
)

# --- Places and the desk --------------------------------------------------------------------


@login_required
@require_GET
def my_places(request: HttpRequest) -> HttpResponse:
    places = list(access.places_worked_by(request.user).select_related("district"))
    if len(places) == 1:
        return _to_desk(places[0])
    return render(request, "tool_centres/my_places.html", {"places": places})


@login_required
@require_GET
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    context = _desk_context(request, place)
    if context["desk"] is not None:  # the member panel shows their name and phone
        record_access(
            request.user, context["desk"].member, AccessKind.DESK_MEMBER, place, where=place.name_ko
        )
    return render(request, "tool_centres/desk.html", context)


@login_required
@require_POST
def scan(request: HttpRequest, slug: str) -> HttpResponse:
    """One field for everything: a member card, phone or name chooses the member; an item
    on loan opens its check-in; any other item goes into the basket."""
    place = desk_place(request, slug)
    form = ScanForm(request.POST)
    state = _state(request, place)
    if not form.is_valid():
        return _refuse(request, place, InvalidInput(_("Scan or type a code first.")))
    code = form.cleaned_data["code"]
    if not code:
        return _enter_in_empty_field(request, place, state)
    item = selectors.item_by_code(code)
    if item is None:
        members = selectors.find_members(code)
        if not members:
            return _refuse(request, place, UnknownCode(code))
        if len(members) > 1 or selectors.is_partial_member_query(code):
            return render(
                request, "tool_centres/desk.html", _desk_context(request, place, choices=members)
            )
        state.update(member=members[0].pk, basket=[], checkin=None, result=None)
    elif item.place_id != place.pk:
        return _refuse(request, place, ItemAtAnotherPlace())
    elif Loan.objects.open().filter(item=item).exists():
        state.update(checkin=item.code, result=None)
    elif not state.get("member"):
        return _refuse(request, place, NoMemberChosen())
    elif item.code not in state["basket"]:
        state["basket"].append(item.code)
        state["result"] = None
    _save(request, place, state)
    return _to_desk(place)


def _enter_in_empty_field(
    request: HttpRequest, place: Place, state: dict[str, Any]
) -> HttpResponse:
    """The scanner-only way to finish: card, items, then Enter. It does what the action bar's
    button does: check in the scanned item (as OK), or check out the basket or the pickups."""
    if state.get("checkin"):
        ok = CheckInForm({"code": state["checkin"], "condition": Loan.ReturnCondition.OK})
        return _check_in(request, place, state, ok)
    if state.get("member"):
        return _check_out(request, place, state, CheckOutForm({}))
    return _refuse(request, place, InvalidInput(_("Scan or type a code first.")))


@login_required
@require_POST
def choose_member(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    place = desk_place(request, slug)
    members = selectors.find_members(number)
    if len(members) != 1:
        return _refuse(request, place, UnknownCode(number))
    state = _state(request, place)
    state.update(member=members[0].pk, basket=[], checkin=None, result=None)
    _save(request, place, state)
    return _to_desk(place)


@login_required
@require_POST
def record_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    member = selectors.find_members_by_pk(_state(request, place).get("member"))
    form = BriefingForm(request.POST)
    if member is None:
        return _refuse(request, place, NoMemberChosen())
    if not form.is_valid():
        return _refuse(request, place, UnknownCode(request.POST.get("category", "")))
    category = form.cleaned_data["category"]
    lending.record_briefing(member=member, category=category, by=request.user, place=place)
    messages.success(
        request,
        _("Safety briefing for %(category)s recorded for %(member)s.")
        % {"category": category.name, "member": member.full_name},
    )
    return _to_desk(place)


@login_required
@require_POST
def verify_member(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    member = selectors.find_members_by_pk(_state(request, place).get("member"))
    if member is None:
        return _refuse(request, place, NoMemberChosen())
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _refuse(
            request,
            place,
            InvalidInput(_("The member is not verified yet: see below.")),
            verify_form=form,
        )
    lending.verify_member(
        member=member, document=form.cleaned_data["document"], by=request.user, place=place
    )
    messages.success(request, _("%(member)s is verified.") % {"member": member.full_name})
    return _to_desk(place)


@login_required
@require_POST
def remove_from_basket(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    place = desk_place(request, slug)
    state = _state(request, place)
    state["basket"] = [c for c in state.get("basket", []) if c != code]
    _save(request, place, state)
    return _to_desk(place)


@login_required
@require_POST
def finish_member(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    request.session[f"desk:{place.pk}"] = {"member": None, "basket": []}
    return _to_desk(place)


@login_required
@require_POST
def check_out(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    return _check_out(request, place, _state(request, place), CheckOutForm(request.POST))


def _check_out(
    request: HttpRequest, place: Place, state: dict[str, Any], form: CheckOutForm
) -> HttpResponse:
    """Lend the basket; an empty basket means the member's pickups for today."""
    member = selectors.find_members_by_pk(state.get("member"))
    if member is None:
        return _refuse(request, place, NoMemberChosen())
    if not state.get("basket"):
        today = timezone.localdate()
        state["basket"] = selectors.member_at_desk(member, place=place, today=today).pickup_codes
    if not form.is_valid():
        message = _("Enter the backdated time as a date and time, such as 2026-11-21 10:30.")
        return _refuse(request, place, InvalidInput(message), checkout_form=form)
    try:
        lines = services.check_out_basket(
            member=member,
            items=selectors.basket_items(state.get("basket", []), place=place),
            place=place,
            by=request.user,
            confirm_due=_confirmed_due(request),
            **form.cleaned_data,
        )
    except DomainError as exc:
        return _refuse(request, place, exc, checkout_form=form)
    state["result"] = selectors.result_of_basket(lines)
    state["basket"] = [line.code for line in lines if not line.ok]
    _save(request, place, state)
    return _to_desk(place)


def _confirmed_due(request: HttpRequest) -> dt.date | None:
    """The changed return date the volunteer confirmed (lending's DueDateChanged)."""
    try:
        return parse_date(request.POST.get("confirm_due", ""))
    except ValueError:
        return None


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    return _check_in(request, place, _state(request, place), CheckInForm(request.POST))


def _check_in(
    request: HttpRequest, place: Place, state: dict[str, Any], form: CheckInForm
) -> HttpResponse:
    if not form.is_valid():
        message = _("Choose the condition it came back in; a backdated time needs a date and time.")
        return _refuse(request, place, InvalidInput(message))
    item = selectors.item_by_code(form.cleaned_data.pop("code"))
    if item is None:
        return _refuse(request, place, UnknownCode(request.POST.get("code", "")))
    try:
        result = services.check_in_at_desk(
            item=item, place=place, by=request.user, **form.cleaned_data
        )
    except DomainError as exc:
        return _refuse(request, place, exc)
    state["checkin"] = None
    state["result"] = selectors.result_of_check_in(result)
    _save(request, place, state)
    return _to_desk(place)


@login_required
@require_GET
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    result = selectors.last_result(_state(request, place).get("result"))
    return render(request, "tool_centres/receipt.html", {"place": place, "result": result})


@login_required
@require_POST
def send_receipt(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    result = selectors.last_result(_state(request, place).get("result"))
    if result is None or not result.get("loans"):
        return _refuse(request, place, NoMemberChosen())
    email_receipt(result["loans"], place=place)
    messages.success(request, _("The receipt was emailed to the member."))
    return _to_desk(place)
