"""A member's own bookings, loans and history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sharing_city.core.errors import DomainError

from .. import selectors, services
from ..models import Booking, Loan
from .search import PAGE_SIZE

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
