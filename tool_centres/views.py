"""The desk: plain forms that work without JavaScript (POST, then redirect to the desk page).

The current member, the basket and the last result live in the session, one slot per place.
A refusal re-renders the desk with the refusal's 4xx status, the message in large text and
the scan field focused; nothing is changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending import access
from lending import services as lending
from lending.exceptions import ItemAtAnotherPlace
from lending.models import Closure, Loan, OpeningHours, Place, PlaceRole
from lending.photos import add_photo
from lending.services.inventory import NewTitle
from lending.services.places import can_manage_place
from sharing_city.core.errors import DomainError, InvalidInput

from . import selectors, services
from .exceptions import NoMemberChosen, UnknownCode
from .forms import (
    BriefingForm,
    CardsForm,
    CheckInForm,
    CheckOutForm,
    CloseTicketForm,
    ClosureForm,
    EditItemForm,
    HoursForm,
    ItemForm,
    LabelsForm,
    RetireForm,
    RosterForm,
    ScanForm,
    TicketForm,
    TransferForm,
)
from .labels import qr_svg
from .models import RepairTicket, Transfer
from .receipts import email_receipt

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
    if state.get("member"):
        found = selectors.find_members_by_pk(state["member"])
        member = selectors.member_at_desk(found, place=place, today=today) if found else None
    return {
        "place": place,
        "scan_form": extra.pop("scan_form", None) or ScanForm(),
        "checkout_form": extra.pop("checkout_form", None) or CheckOutForm(),
        "desk": member,
        "basket": selectors.basket_items(state.get("basket", []), place=place),
        "checkin": _checkin_context(state.get("checkin"), place),
        "result": selectors.last_result(state.get("result")),
        "choices": extra.pop("choices", None),
        "briefing_form": BriefingForm() if member else None,
        **extra,
    }


def _checkin_context(code: str | None, place: Place) -> dict[str, Any] | None:
    if not code:
        return None
    item = selectors.item_by_code(code)
    if item is None or item.place_id != place.pk:
        return None
    loan = Loan.objects.open().filter(item=item).select_related("member").first()
    if loan is None:
        return None
    return {"item": item, "loan": loan, "form": CheckInForm(initial={"code": item.code})}


def _refuse(request: HttpRequest, place: Place, error: DomainError, **extra: Any) -> HttpResponse:
    context = _desk_context(request, place, error=error, **extra)
    return render(request, "tool_centres/desk.html", context, status=error.http_status)


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
    return render(request, "tool_centres/desk.html", _desk_context(request, place))


@login_required
@require_POST
def scan(request: HttpRequest, slug: str) -> HttpResponse:
    """One field for everything: a member card, phone or name chooses the member; an item
    on loan opens its check-in; any other item goes into the basket."""
    place = desk_place(request, slug)
    form = ScanForm(request.POST)
    if not form.is_valid():
        return _refuse(request, place, InvalidInput(_("Scan or type a code first.")))
    code = form.cleaned_data["code"]
    state = _state(request, place)
    item = selectors.item_by_code(code)
    if item is None:
        members = selectors.find_members(code)
        if not members:
            return _refuse(request, place, UnknownCode(code))
        if len(members) > 1:
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
    state = _state(request, place)
    form = CheckOutForm(request.POST)
    member = selectors.find_members_by_pk(state.get("member"))
    if member is None:
        return _refuse(request, place, NoMemberChosen())
    if not form.is_valid():
        message = _("Enter the backdated time as a date and time, such as 2026-11-21 10:30.")
        return _refuse(request, place, InvalidInput(message), checkout_form=form)
    try:
        lines = services.check_out_basket(
            member=member,
            items=selectors.basket_items(state.get("basket", []), place=place),
            place=place,
            by=request.user,
            **form.cleaned_data,
        )
    except DomainError as exc:
        return _refuse(request, place, exc, checkout_form=form)
    state["result"] = selectors.result_of_basket(lines)
    state["basket"] = [line.code for line in lines if not line.ok]
    _save(request, place, state)
    return _to_desk(place)


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = CheckInForm(request.POST)
    state = _state(request, place)
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


# --- Today ----------------------------------------------------------------------------------


@login_required
@require_GET
def today(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    day = selectors.day_at(place, today=timezone.localdate())
    return render(request, "tool_centres/today.html", {"place": place, "day": day})


@login_required
@require_POST
def renew(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = desk_place(request, slug)
    loan = get_object_or_404(Loan.objects.select_related("item__title"), pk=pk, place=place)
    try:
        loan = lending.renew(loan=loan, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return render(
            request,
            "tool_centres/today.html",
            {"place": place, "day": selectors.day_at(place, today=timezone.localdate())},
            status=exc.http_status,
        )
    messages.success(
        request,
        _("%(item)s renewed until %(due)s.") % {"item": loan.item.code, "due": loan.due_date},
    )
    return redirect("tool_centres:today", slug=place.slug)


# --- Repairs --------------------------------------------------------------------------------


def _repairs_page(
    request: HttpRequest, place: Place, form: TicketForm, status: int = 200
) -> HttpResponse:
    context = {
        "place": place,
        "tickets": list(selectors.open_tickets(place)),
        "unticketed": list(selectors.items_in_maintenance_without_ticket(place)),
        "closed": selectors.closed_tickets(place),
        "form": form,
        "close_form": CloseTicketForm(),
    }
    return render(request, "tool_centres/repairs.html", context, status=status)


@login_required
def repairs(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    if request.method != "POST":
        return _repairs_page(request, place, TicketForm())
    form = TicketForm(request.POST)
    if not form.is_valid():
        return _repairs_page(request, place, form, status=400)
    item = selectors.item_by_code(form.cleaned_data["code"])
    if item is None or item.place_id != place.pk:
        form.add_error("code", str(UnknownCode(form.cleaned_data["code"]).message))
        return _repairs_page(request, place, form, status=404)
    try:
        services.open_ticket(
            item=item,
            by=request.user,
            problem=form.cleaned_data["problem"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return _repairs_page(request, place, form, status=exc.http_status)
    messages.success(
        request, _("Repair ticket opened; %(code)s is out of lending.") % {"code": item.code}
    )
    return redirect("tool_centres:repairs", slug=place.slug)


@login_required
@require_POST
def ticket_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    place = desk_place(request, slug)
    ticket = get_object_or_404(RepairTicket, pk=pk, place=place)
    try:
        if action == "start":
            services.start_repair(ticket=ticket, by=request.user)
        else:
            form = CloseTicketForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request, " ".join(str(e) for errs in form.errors.values() for e in errs)
                )
                return _repairs_page(request, place, TicketForm(), status=400)
            services.close_ticket(ticket=ticket, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _repairs_page(request, place, TicketForm(), status=exc.http_status)
    messages.success(request, _("Repair ticket updated."))
    return redirect("tool_centres:repairs", slug=place.slug)


# --- Transfers ------------------------------------------------------------------------------


@login_required
def transfers(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = TransferForm(request.POST or None, place=place)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            item = selectors.item_by_code(form.cleaned_data["code"])
            try:
                if item is None or item.place_id != place.pk:
                    raise UnknownCode(form.cleaned_data["code"])
                services.request_transfer(
                    item=item,
                    to_place=form.cleaned_data["to_place"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("Transfer requested."))
                return redirect("tool_centres:transfers", slug=place.slug)
    context = {"place": place, "form": form, "transfers": list(selectors.transfers_at(place)[:100])}
    return render(request, "tool_centres/transfers.html", context, status=status)


TRANSFER_ACTIONS = {
    "send": services.send_transfer,
    "receive": services.receive_transfer,
    "cancel": services.cancel_transfer,
}


@login_required
@require_POST
def transfer_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    place = desk_place(request, slug)
    transfer = get_object_or_404(Transfer, pk=pk)
    if (
        place.pk not in (transfer.from_place_id, transfer.to_place_id)
        or action not in TRANSFER_ACTIONS
    ):
        raise PermissionDenied
    try:
        TRANSFER_ACTIONS[action](transfer=transfer, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Transfer updated."))
    return redirect("tool_centres:transfers", slug=place.slug)


# --- Inventory ------------------------------------------------------------------------------


@login_required
def inventory(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = ItemForm(request.POST or None, request.FILES or None, place=place)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            new_title = None
            if not data["title"]:
                new_title = NewTitle(data["category"], data["new_name_ko"], data["new_name_en"])
            try:
                item = lending.add_item(
                    place=place,
                    code=data["code"],
                    by=request.user,
                    title=data["title"],
                    new_title=new_title,
                    condition=data["condition"],
                    note=data["note"],
                )
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                status = exc.http_status
            else:
                if data["photo"]:
                    add_photo(title=item.title, upload=data["photo"], alt_text="", by=request.user)
                messages.success(request, _("%(code)s added.") % {"code": item.code})
                return redirect("tool_centres:inventory", slug=place.slug)
    query = request.GET.get("q", "")[:100]
    context = {
        "place": place,
        "form": form,
        "items": selectors.inventory(place, query=query),
        "query": query,
        "import_url": selectors.import_url(),
    }
    return render(request, "tool_centres/inventory.html", context, status=status)


@login_required
def edit_item(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    place = desk_place(request, slug)
    item = selectors.item_by_code(code)
    if item is None or item.place_id != place.pk:
        raise PermissionDenied if item is not None else _not_found()
    form = EditItemForm(
        request.POST or None, initial={"condition": item.condition, "note": item.note}
    )
    retire_form = RetireForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            lending.update_item(item=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("%(code)s saved.") % {"code": item.code})
            return redirect("tool_centres:inventory", slug=place.slug)
    context = {"place": place, "item": item, "form": form, "retire_form": retire_form}
    return render(request, "tool_centres/edit_item.html", context, status=status)


@login_required
@require_POST
def retire_item(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    place = desk_place(request, slug)
    item = selectors.item_by_code(code)
    if item is None or item.place_id != place.pk:
        raise PermissionDenied if item is not None else _not_found()
    form = RetireForm(request.POST)
    error = None
    if form.is_valid():
        try:
            lending.retire_item(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("%(code)s retired.") % {"code": item.code})
            return redirect("tool_centres:inventory", slug=place.slug)
    context = {
        "place": place,
        "item": item,
        "form": EditItemForm(initial={"condition": item.condition, "note": item.note}),
        "retire_form": form,
        "error": error,
    }
    return render(
        request, "tool_centres/edit_item.html", context, status=error.http_status if error else 400
    )


def _not_found() -> Exception:
    from django.http import Http404

    return Http404()


# --- Labels and cards -----------------------------------------------------------------------


@login_required
@require_GET
def labels(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = LabelsForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "tool_centres/labels_form.html",
            {"place": place, "form": form, "cards": CardsForm()},
            status=400 if request.GET else 200,
        )
    items = selectors.basket_items(form.cleaned_data["codes"], place=place)
    sheet = [{"code": i.code, "name": i.title.name, "qr": qr_svg(i.code)} for i in items]
    return render(
        request, "tool_centres/labels_print.html", {"place": place, "sheet": sheet, "kind": "items"}
    )


@login_required
@require_GET
def cards(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = CardsForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "tool_centres/labels_form.html",
            {"place": place, "form": LabelsForm(), "cards": form},
            status=400,
        )
    members = selectors.members_by_number(form.cleaned_data["members"])
    sheet = [
        {"code": m.member_number, "name": m.full_name, "qr": qr_svg(m.member_number)}
        for m in members
    ]
    return render(
        request, "tool_centres/labels_print.html", {"place": place, "sheet": sheet, "kind": "cards"}
    )


def desk_url(place: Place) -> str:
    return reverse("tool_centres:desk", kwargs={"slug": place.slug})


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
    }
    return render(request, "tool_centres/place.html", context, status=status)


@login_required
@require_GET
def place_settings(request: HttpRequest, slug: str) -> HttpResponse:
    return _place_page(request, desk_place(request, slug))


PLACE_FORMS = {"roster": RosterForm, "hours": HoursForm, "closure": ClosureForm}


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
    else:
        raise PermissionDenied
    messages.success(request, _("Removed."))
    return redirect("tool_centres:place", slug=place.slug)
