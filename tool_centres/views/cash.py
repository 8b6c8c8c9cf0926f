"""The cash book: a place's deposits taken, given back and kept, day by day, and the day's
close-out that a second volunteer checks. The CSV is the same figures for the place's books."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lending.models import Place
from sharing_city.core import bounds
from sharing_city.core.errors import DomainError
from sharing_city.core.exports import csv_cell
from tool_centres import selectors, services
from tool_centres.forms import CloseDayForm
from tool_centres.views.common import desk_place


def _day(raw: str | None) -> dt.date:
    """The day asked for, or today when it is missing, malformed or out of the report window."""
    today = timezone.localdate()
    try:
        day = parse_date(raw or "")
    except ValueError:
        day = None
    if day is None:
        return today
    try:
        bounds.REPORT.check(day, today=today)
    except ValidationError:
        return today
    return min(day, today)


def _page(
    request: HttpRequest,
    place: Place,
    day: dt.date,
    *,
    form: CloseDayForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    book = selectors.cash_day(place, day)
    context: dict[str, Any] = {
        "place": place,
        "book": book,
        "form": form or CloseDayForm(initial={"counted": int(book.held_after)}),
        "error": error,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1) if day < timezone.localdate() else None,
        "may_check": book.close_out is not None
        and book.close_out.checked_by_id is None
        and book.close_out.closed_by_id != request.user.pk,
    }
    status = error.http_status if error else (400 if form is not None else 200)
    return render(request, "tool_centres/cash.html", context, status=status)


def _back(place: Place, day: dt.date) -> HttpResponse:
    return redirect(f"{reverse('tool_centres:cash', args=[place.slug])}?day={day.isoformat()}")


@login_required
@require_GET
def cash_book(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    return _page(request, place, _day(request.GET.get("day")))


@login_required
@require_POST
def close_day(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    day = _day(request.POST.get("day"))
    form = CloseDayForm(request.POST)
    if not form.is_valid():
        return _page(request, place, day, form=form)
    try:
        services.close_day(
            place=place,
            day=day,
            counted=form.cleaned_data["counted"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as refusal:
        return _page(request, place, day, form=form, error=refusal)
    messages.success(request, _("The day is closed. Ask a second volunteer to check it."))
    return _back(place, day)


@login_required
@require_POST
def check_close_out(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    day = _day(request.POST.get("day"))
    try:
        services.check_close_out(place=place, day=day, by=request.user)
    except DomainError as refusal:
        return _page(request, place, day, error=refusal)
    messages.success(request, _("Checked: the close-out carries your name."))
    return _back(place, day)


@login_required
@require_GET
def cash_csv(request: HttpRequest, slug: str) -> HttpResponse:
    place = desk_place(request, slug)
    day = _day(request.GET.get("day"))
    book = selectors.cash_day(place, day)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cash-{place.slug}-{day}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Korean names) only with the mark
    writer = csv.writer(response)
    writer.writerow(["time", "kind", "amount", "item", "member", "by", "reason"])
    for entry in book.entries:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
                    entry.kind,
                    int(entry.amount),
                    entry.loan.item.code,
                    entry.member.member_number,
                    entry.by.get_full_name() if entry.by else "",
                    entry.reason,
                )
            ]
        )
    writer.writerow([])
    for label, amount in (
        ("held_before", book.held_before),
        ("collected", book.collected),
        ("refunded", book.refunded),
        ("kept", book.kept),
        ("held_after", book.held_after),
    ):
        writer.writerow([label, int(amount)])
    if book.close_out is not None:
        writer.writerow(["counted", int(book.close_out.counted)])
        writer.writerow(["difference", int(book.close_out.difference)])
    return response


__all__ = ["cash_book", "cash_csv", "check_close_out", "close_day"]
