"""Today, repairs and transfers at a place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending import services as lending
from lending.models import Loan, Place
from sharing_city.core.errors import DomainError
from tool_centres import selectors, services
from tool_centres.exceptions import UnknownCode
from tool_centres.filters import TransferFilter
from tool_centres.forms import (
    CloseTicketForm,
    TicketForm,
    TransferForm,
)
from tool_centres.models import RepairTicket, Transfer
from tool_centres.views.common import (
    desk_place,
)

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
        elif action == "clean":  # one tap on Today: back into lending
            services.close_ticket(
                ticket=ticket, by=request.user, outcome="resolved", resolution=_("Cleaned")
            )
            messages.success(
                request, _("%(code)s is clean and can be lent.") % {"code": ticket.item.code}
            )
            return redirect("tool_centres:today", slug=place.slug)
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
    filters = TransferFilter(request.GET, queryset=selectors.transfers_at(place))
    listed: list[Transfer] = []
    if filters.is_valid():
        listed = list(filters.qs[:100])
    elif request.method != "POST":  # an unknown status or place: say so, list nothing
        status = 400
    context = {"place": place, "form": form, "transfers": listed, "filters": filters}
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
