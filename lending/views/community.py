"""Tips on titles, saved lists and kits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sharing_city.core.errors import DomainError

from .. import services
from ..forms import (
    KitBookingForm,
    SaveToListForm,
    TipForm,
)
from ..models import Kit, Tip, TitleList
from .titles import _refused, _title_context, _titles, title_url

# --- Tips, lists and kits -----------------------------------------------------------------


@require_POST
@login_required
def leave_tip(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    form = TipForm(request.POST)
    if not form.is_valid():
        context = _title_context(request, title, tip_form=form)
        return render(request, "lending/title_detail.html", context, status=400)
    try:
        services.leave_tip(title=title, by=request.user, text=form.cleaned_data["text"])
    except DomainError as refusal:
        return _refused(request, title, refusal, tip_form=form)
    messages.success(request, _("Thank you: your tip is on the page."))
    return redirect(f"{title_url(title)}#tips-title")


@require_POST
@login_required
def mark_tip(request: HttpRequest, pk: int) -> HttpResponse:
    tip = get_object_or_404(Tip.objects.filter(hidden_at__isnull=True), pk=pk)
    kind = request.POST.get("kind", "")
    try:
        services.mark_tip(tip=tip, by=request.user, kind=kind)
    except DomainError as refusal:
        return _refused(request, tip.title, refusal)
    if kind == "flag":
        messages.success(request, _("Thank you: the volunteers will look at this tip."))
    return redirect(f"{title_url(tip.title)}#tips-title")


@require_POST
@login_required
def hide_tip(request: HttpRequest, pk: int) -> HttpResponse:
    tip = get_object_or_404(Tip, pk=pk)
    try:
        services.hide_tip(tip=tip, by=request.user)
    except DomainError as refusal:
        return _refused(request, tip.title, refusal)
    messages.success(request, _("The tip is hidden."))
    return redirect(f"{title_url(tip.title)}#tips-title")


@require_POST
@login_required
def save_to_list(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    form = SaveToListForm(request.POST)
    if not form.is_valid():
        context = _title_context(request, title, save_form=form)
        return render(request, "lending/title_detail.html", context, status=400)
    title_list = services.save_to_list(
        owner=request.user, title=title, name=form.cleaned_data["name"]
    )
    messages.success(request, _("Saved to %(list)s.") % {"list": title_list.name})
    return redirect("lending:my-lists")


@login_required
@require_GET
def my_lists(request: HttpRequest) -> HttpResponse:
    lists = TitleList.objects.filter(owner_id=request.user.pk).prefetch_related("titles")
    return render(request, "lending/my_lists.html", {"lists": lists})


@require_GET
def kits(request: HttpRequest) -> HttpResponse:
    form = KitBookingForm(initial={"start": timezone.localdate()})
    return render(request, "lending/kits.html", _kits_context(form))


def _kits_context(form: KitBookingForm, chosen: Kit | None = None) -> dict[str, Any]:
    return {"kits": Kit.objects.published(), "form": form, "chosen": chosen}


@require_POST
@login_required
def book_kit(request: HttpRequest, pk: int) -> HttpResponse:
    kit = get_object_or_404(Kit.objects.published(), pk=pk)
    form = KitBookingForm(request.POST)
    if not form.is_valid():
        return render(request, "lending/kits.html", _kits_context(form, kit), status=400)
    try:
        bookings = services.book_kit(
            kit=kit,
            member=request.user,
            by=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        context = _kits_context(form, kit)
        return render(request, "lending/kits.html", context, status=refusal.http_status)
    messages.success(
        request,
        _("Kit booked: %(codes)s.") % {"codes": ", ".join(b.item.code for b in bookings)},  # type: ignore[union-attr]
    )
    return redirect("lending:my-bookings")
