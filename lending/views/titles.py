"""A title's page: its copies, the availability calendar, booking, the queue, photos."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sharing_city.core.errors import DomainError
from sharing_city.core.replica import replica_reads

from .. import access, opening, selectors, services
from ..forms import (
    BookingForm,
    HoldForm,
    PhotoForm,
    SaveToListForm,
    TipForm,
)
from ..models import Booking, Item, Loan, Place, Tip, Title
from ..photos import add_photo, can_add_photo, thumbnail_of

CALENDAR_DAYS = 28


MAX_CALENDAR_DAYS = 90


SUNDAY = dt.date(2026, 11, 15)


def _weekdays() -> list[tuple[str, str]]:
    """The month grid's column headers, Sunday first: (short, full) names."""
    days = [SUNDAY + dt.timedelta(days=i) for i in range(7)]
    return [(opening.weekday_short(d), date_format(d, "l")) for d in days]


def _origin(request: HttpRequest) -> tuple[float, float] | None:
    district = getattr(request.user, "district", None)
    if district is None or district.latitude is None or district.longitude is None:
        return None
    return (float(district.latitude), float(district.longitude))


def _title_context(request: HttpRequest, title: Title, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = selectors.title_page(title, today=today, origin=_origin(request))
    user = request.user
    chosen = next((c for c in data.copies if c.code == request.GET.get("copy")), None)
    place = chosen.place if chosen else _pickup_place(request, data)
    shown = (
        [chosen] if chosen else [c for c in data.copies if c.place_id == getattr(place, "pk", 0)]
    )
    grid = _month_grid(request, data, place, shown, today)
    start, end = _chosen_dates(grid)
    initial = {"start": start, "end": end, "place": place, "copy": chosen.code if chosen else ""}
    photos = list(title.photos.all())
    title.thumb = thumbnail_of(photos[0], title.name) if photos else None  # type: ignore[attr-defined]
    return {
        "title": title,
        "data": data,
        "photos": photos[1:],  # the first is the title's thumbnail
        "place_rows": [
            {
                "place": p,
                "distance": distance,
                "rules": selectors.rule_summary(data.rules[p.pk]),
                "copies": [c for c in data.copies if c.place_id == p.pk],
            }
            for p, distance in data.places
        ],
        "pickup_place": place,
        "pickup_hours": opening.hours_summary(place) if place else "",
        "grid": grid,
        "grid_start": grid.start,
        "grid_end": grid.end or grid.start,
        "grid_start_chosen": grid.start is not None,
        "weekdays": _weekdays(),
        "next_free": [(day, opening.weekday_short(day)) for day in grid.next_free],
        "today": today,
        "grid_query": _grid_query(chosen, place),
        "chosen_copy": chosen.code if chosen else "",
        "booking_form": forms.get("booking_form")
        or BookingForm(copies=data.copies, today=today, initial=initial),
        "hold_form": forms.get("hold_form")
        or HoldForm(places=[p for p, _d in data.places], initial={"place": place}),
        "photo_form": forms.get("photo_form")
        or (PhotoForm() if user.is_authenticated and can_add_photo(user, title) else None),
        **_tips_context(user, title, forms),
    }


def _tips_context(user: Any, title: Title, forms: dict[str, Any]) -> dict[str, Any]:
    tips = list(Tip.objects.filter(title=title).shown())
    signed_in = user.is_authenticated
    may_tip = False
    if signed_in:
        # One query: has the member returned a copy, and have they tipped (a hidden tip too)?
        returned, tipped = (
            Title.objects.filter(pk=title.pk)
            .annotate(
                returned=Exists(
                    Loan.objects.filter(
                        member=user, item__title=OuterRef("pk"), returned_at__isnull=False
                    )
                ),
                tipped=Exists(Tip.objects.filter(title=OuterRef("pk"), author=user)),
            )
            .values_list("returned", "tipped")
            .get()
        )
        may_tip = returned and not tipped
    # Who may hide a tip matters only when there are tips to hide.
    worked = (
        set(access.places_worked_by(user).values_list("pk", flat=True))
        if signed_in and tips
        else set()
    )
    for tip in tips:
        tip.can_hide = tip.place_id in worked  # type: ignore[attr-defined]
        tip.is_own = tip.author_id == getattr(user, "pk", None)  # type: ignore[attr-defined]
    return {
        "tips": tips,
        "tip_form": forms.get("tip_form") or (TipForm() if may_tip else None),
        "save_form": forms.get("save_form") or (SaveToListForm() if signed_in else None),
    }


def _pickup_place(request: HttpRequest, data: selectors.TitlePage) -> Place | None:
    """The place asked for (?place=), else the nearest one in the member's district."""
    asked = request.GET.get("place", "")
    for place, _distance in data.places:
        if str(place.pk) == asked:
            return place
    return selectors.default_pickup_place(data.places, getattr(request.user, "district_id", None))


def _month_grid(
    request: HttpRequest,
    data: selectors.TitlePage,
    place: Place | None,
    shown: list[Item],
    today: dt.date,
) -> selectors.MonthGrid:
    rule = data.rules.get(place.pk) if place else None
    horizon = min(rule.booking_horizon_days if rule else CALENDAR_DAYS, MAX_CALENDAR_DAYS)
    max_days = rule.loan_days if rule else 1
    last_day = today + dt.timedelta(days=horizon)
    month = _month(request.GET.get("month"), today, last_day)
    closed: dict[dt.date, str] = {}
    if place is not None:
        prefetch_related_objects([place], "opening_hours")  # closed days and the hours line
        closed = opening.closed_days(place, today, last_day + dt.timedelta(days=max_days))
    return selectors.month_grid(
        shown,
        closed=closed,
        month=month,
        today=today,
        last_day=last_day,
        max_days=max_days,
        start=_date(request.GET.get("start")),
        end=_date(request.GET.get("end")),
    )


def _chosen_dates(grid: selectors.MonthGrid) -> tuple[dt.date | None, dt.date | None]:
    """The dates chosen in the calendar, else the next free day."""
    if grid.start is not None:
        return grid.start, grid.end or grid.start
    if grid.next_free:
        return grid.next_free[0], grid.next_free[0]
    return None, None


def _grid_query(chosen: Item | None, place: Place | None) -> str:
    """What every calendar link keeps: the copy, else the pickup place."""
    if chosen is not None:
        return urlencode({"copy": chosen.code})
    return urlencode({"place": place.pk}) if place is not None else ""


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _month(text: str | None, today: dt.date, last_day: dt.date) -> dt.date:
    """The month asked for (?month=2026-12), kept between this month and the last bookable."""
    asked = _date(f"{text}-01") if text and len(text) == 7 else None
    first, last = today.replace(day=1), last_day.replace(day=1)
    return min(max(asked or first, first), last)


def _titles() -> Any:
    return Title.objects.select_related("category")


@replica_reads
@require_GET
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    return render(request, "lending/title_detail.html", _title_context(request, title))


def _refused(
    request: HttpRequest, title: Title, refusal: DomainError, **forms: Any
) -> HttpResponse:
    messages.error(request, str(refusal.message))
    context = _title_context(request, title, **forms)
    return render(request, "lending/title_detail.html", context, status=refusal.http_status)


@require_POST
@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    copies = selectors.title_page(title, today=timezone.localdate(), origin=None).copies
    form = BookingForm(request.POST, copies=copies)
    if not form.is_valid():
        context = _title_context(request, title, booking_form=form)
        return render(request, "lending/title_detail.html", context, status=400)
    try:
        booking = services.book(
            member=request.user,
            by=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            item=form.item,
            title=title,
            place=form.cleaned_data["place"],
        )
    except DomainError as refusal:
        return _refused(request, title, refusal, booking_form=form)
    messages.success(request, _("Booked: %(code)s.") % {"code": booking.item.code})  # type: ignore[union-attr]
    return redirect("lending:my-bookings")


@require_POST
@login_required
def join_queue(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    places = selectors.title_page(title, today=timezone.localdate(), origin=None).places
    form = HoldForm(request.POST, places=[p for p, _d in places])
    if not form.is_valid():
        context = _title_context(request, title, hold_form=form)
        return render(request, "lending/title_detail.html", context, status=400)
    try:
        hold = services.place_hold(
            member=request.user, title=title, place=form.cleaned_data["place"], by=request.user
        )
    except DomainError as refusal:
        return _refused(request, title, refusal, hold_form=form)
    if hold.status == Booking.Status.READY:
        messages.success(request, _("A copy is ready for you to collect."))
    else:
        messages.success(request, _("You are in the queue. We will tell you when it is ready."))
    return redirect("lending:my-bookings")


@require_POST
@login_required
def upload_photo(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(_titles(), pk=pk)
    if not can_add_photo(request.user, title):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _title_context(request, title, photo_form=form)
        return render(request, "lending/title_detail.html", context, status=400)
    add_photo(
        title=title,
        upload=form.cleaned_data["image"],
        alt_text=form.cleaned_data["alt_text"],
        by=request.user,
    )
    messages.success(request, _("The photo is added."))
    return redirect("lending:title", pk=title.pk)


def title_url(title: Title) -> str:
    return reverse("lending:title", args=[title.pk])
