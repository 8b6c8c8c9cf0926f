"""Inventory at the desk, and printable labels and member cards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending import services as lending
from lending.models import Item
from sharing_city.core.errors import DomainError
from tool_centres import selectors, services
from tool_centres.filters import InventoryFilter
from tool_centres.forms import (
    CardsForm,
    EditItemForm,
    ItemForm,
    LabelsForm,
    RetireForm,
)
from tool_centres.labels import code_svg
from tool_centres.views.common import (
    desk_place,
)

# --- Inventory ------------------------------------------------------------------------------

# The list shows at most this many items; the search and status narrow it.
INVENTORY_LIMIT = 200


@login_required
def inventory(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    form = ItemForm(request.POST or None, request.FILES or None, place=place)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                item = services.add_copy(place=place, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("%(code)s added.") % {"code": item.code})
                return redirect("tool_centres:inventory", slug=place.slug)
    filters = InventoryFilter(request.GET, queryset=selectors.inventory(place))
    items: list[Item] = []
    if filters.is_valid():
        items = list(filters.qs[:INVENTORY_LIMIT])
    elif request.method != "POST":  # an unknown status: say so, list nothing
        status = 400
    context = {
        "place": place,
        "form": form,
        "items": items,
        "filters": filters,
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
    symbology = form.cleaned_data["symbology"]
    sheet = [
        {"code": i.code, "name": i.title.name, "qr": code_svg(i.code, symbology)} for i in items
    ]
    return render(request, "tool_centres/labels_print.html", _sheet(place, sheet, "items", form))


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
    symbology = form.cleaned_data["symbology"]
    sheet = [
        {"code": m.member_number, "name": m.full_name, "qr": code_svg(m.member_number, symbology)}
        for m in members
    ]
    return render(request, "tool_centres/labels_print.html", _sheet(place, sheet, "cards", form))


def _sheet(place: Any, sheet: list[dict[str, Any]], kind: str, form: Any) -> dict[str, Any]:
    return {
        "place": place,
        "sheet": sheet,
        "kind": kind,
        "symbology": form.cleaned_data["symbology"],
        "layout": form.cleaned_data["layout"],
    }
