"""The catalogue, the item page, a resident's bookings and loans, photos and the CSV import.

A refusal re-renders the page with the translated reason and the refusal's 4xx status, so a
resident sees why and a script sees the status; nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sharing_city.core.errors import DomainError
from sharing_city.core.replica import replica_reads

from . import access, opening, selectors, services
from .filters import CatalogueFilter
from .forms import (
    BookingForm,
    HoldForm,
    ImportForm,
    KitBookingForm,
    PhotoForm,
    SaveToListForm,
    TipForm,
)
from .models import Booking, Item, Kit, Loan, Place, Tip, Title, TitleList
from .photos import add_photo, attach_thumbnails, can_add_photo, thumbnail_of
from .services.imports import ImportRefused, import_items, template_csv

PAGE_SIZE = 20
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: an exact count of a city's whole catalogue reads every
    matching title's copies on each request; past a thousand, "more than 1,000" says enough."""

    @cached_property
    def seen(self) -> int:
        # Unordered: any COUNT_CAP + 1 matching titles will do, no need to sort them all first.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        return min(self.seen, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.seen > COUNT_CAP


CALENDAR_DAYS = 28
MAX_CALENDAR_DAYS = 90
SUNDAY = dt.date(2026, 11, 15)


def _weekdays() -> list[tuple[str, str]]:
    """The month grid's column headers, Sunday first: (short, full) names."""
    days = [SUNDAY + dt.timedelta(days=i) for i in range(7)]
    return [(opening.weekday_short(d), date_format(d, "l")) for d in days]


@replica_reads
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = CatalogueFilter(
        request.GET, queryset=Title.objects.all(), today=today, counts=False
    )
    valid = filterset.is_valid()
    titles = filterset.qs if valid else Title.objects.none()
    page = CappedPaginator(titles, PAGE_SIZE).get_page(request.GET.get("page"))
    where = selectors.where_available(list(page), filterset.copies(), today) if valid else {}
    selectors.count_copies(page, where)
    attach_thumbnails(page)  # each card's first photo, one query
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "did_you_mean": filterset.did_you_mean(page) if valid else "",
        "filters_version": filterset.plain_filters_version(),
    }
    status = 400 if filterset.form.errors else 200
    return render(request, "lending/catalogue.html", context, status=status)


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


# --- the resident's pages ------------------------------------------------------------------


def _bookings_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    bookings = list(selectors.my_bookings(request.user))
    positions = selectors.queue_positions(bookings)
    for booking in bookings:
        booking.position = positions.get(booking.pk)  # type: ignore[attr-defined]
    return render(request, "lending/my_bookings.html", {"bookings": bookings}, status=status)


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    return _bookings_page(request)


@require_POST
@login_required
def cancel_booking(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.for_member(request.user), pk=pk)
    try:
        services.cancel_booking(booking=booking, by=request.user)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return _bookings_page(request, status=refusal.http_status)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("lending:my-bookings")


def _loans_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    loans = list(selectors.my_loans(request.user))
    refusals = selectors.renewal_refusals(loans, today)
    for loan in loans:
        loan.refusal = refusals[loan.pk]  # type: ignore[attr-defined]
        loan.overdue = loan.is_overdue(today)  # type: ignore[attr-defined]
    return render(request, "lending/my_loans.html", {"loans": loans}, status=status)


@login_required
@require_GET
def my_loans(request: HttpRequest) -> HttpResponse:
    return _loans_page(request)


@require_POST
@login_required
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(Loan.objects.for_member(request.user), pk=pk)
    try:
        loan = services.renew(loan=loan, by=request.user)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return _loans_page(request, status=refusal.http_status)
    messages.success(
        request,
        _("Renewed: now due %(date)s.") % {"date": date_format(loan.due_date, "DATE_FORMAT")},
    )
    return redirect("lending:my-loans")


@login_required
@require_GET
def my_history(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_history(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "lending/my_history.html", {"page": page})


# --- importing a list ----------------------------------------------------------------------


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    places = access.places_worked_by(request.user)
    if not places.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, places=places)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_items(
                place=form.cleaned_data["place"], upload=form.cleaned_data["file"], by=request.user
            )
        except ImportRefused as refusal:
            errors = refusal.errors
            messages.error(request, str(refusal.message))
        else:
            messages.success(
                request,
                _("Imported %(items)d items (%(titles)d new titles).")
                % {"items": len(result.items), "titles": result.titles_created},
            )
            return redirect("lending:import")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors}
    return render(request, "lending/import.html", context, status=status)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sharing-city-items.csv"'
    return response


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


def title_url(title: Title) -> str:
    return reverse("lending:title", args=[title.pk])
