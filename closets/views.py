"""Pages of the Open Closet: the renter's journey, the closet's desk, donors and coaches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lending.models import Place
from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind
from sharing_city.core import bounds
from sharing_city.core.refusals import refusals_shown_on

from . import access, outcomes, selectors, services
from .exceptions import InvalidForm
from .fitting import recommend
from .forms import (
    BookFittingForm,
    CareForm,
    ExtendForm,
    FeedbackForm,
    GarmentForm,
    NotesForm,
    OfferSessionForm,
    OutcomeForm,
    ProfileForm,
    ProofForm,
    RentForm,
    ReturnForm,
    ThanksForm,
    VisitStateForm,
)
from .models import (
    CoachingSession,
    Donation,
    FittingVisit,
    Garment,
    Rental,
    RenterProfile,
)

# A service's named refusal becomes a page with the reason and its 4xx status.
refusals = refusals_shown_on("closets/refused.html")


def _closet(slug: str) -> Place:
    return get_object_or_404(Place, slug=slug, kind=Place.Kind.CLOSET, is_active=True)


def _staff_place(request: HttpRequest, slug: str) -> Place:
    place = _closet(slug)
    if not access.can_staff(request.user, place):
        raise PermissionDenied
    return place


# --- The renter ---------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    context = selectors.start_page(request.user, now=timezone.now())
    return render(request, "closets/start.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance = RenterProfile.objects.filter(member=request.user.pk).first()
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_profile(member=request.user, by=request.user, **form.values())
        return redirect("closets:suggestions")
    status = 400 if form.errors else 200
    return render(request, "closets/profile.html", {"form": form}, status=status)


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    profile = RenterProfile.objects.filter(member=request.user.pk).first()
    if profile is None:
        return redirect("closets:profile")
    places = list(Place.objects.filter(kind=Place.Kind.CLOSET, is_active=True))
    place = next((p for p in places if p.slug == request.GET.get("place")), None) or (
        places[0] if places else None
    )
    today = timezone.localdate()
    result = None
    if place is not None:
        result = recommend(
            place=place,
            body={p: getattr(profile, p) for p in selectors.ALL_PARTS},
            style=profile.style,
            height=profile.height,
            weight=profile.weight,
            preferred_colour=profile.preferred_colour,
            start=today,
            end_exclusive=bounds.add_days(max(profile.interview_date, today), 1),
        ).shown(suits=10, garments=12)
    context = {"profile": profile, "place": place, "places": places, "result": result}
    return render(request, "closets/suggestions.html", context)


@login_required
@refusals
def fitting(request: HttpRequest, slug: str) -> HttpResponse:
    place = _closet(slug)
    now = timezone.now()
    slots, sessions = selectors.bookable(place, now=now)
    form = BookFittingForm(request.POST or None, slots=slots, sessions=sessions)
    moving = _own_visit(request, request.GET.get("change") or request.POST.get("change"))
    if request.method == "POST" and form.is_valid():
        slot = form.cleaned_data["slot"]
        if moving is not None:
            services.change_fitting(visit=moving, slot=slot, by=request.user, now=now)
            messages.success(request, _("Your fitting has been moved."))
            return redirect("closets:start")
        services.book_fitting(
            member=request.user,
            slot=slot,
            coaching=form.cleaned_data["coaching"],
            by=request.user,
            now=now,
        )
        messages.success(request, _("Your fitting is booked. We will remind you the day before."))
        return redirect("closets:start")
    context = {
        "place": place,
        "form": form,
        "moving": moving,
        **selectors.slots_by_day(slots, request.GET.get("day"), request.user),
        "terms": [
            services.fee_terms(p, member=request.user, today=timezone.localdate(now))
            for p in selectors.programmes()
        ],
    }
    return render(request, "closets/fitting.html", context, status=400 if form.errors else 200)


def _own_visit(request: HttpRequest, pk: str | None) -> FittingVisit | None:
    if not pk or not pk.isdigit():
        return None
    return get_object_or_404(
        FittingVisit.objects.select_related("slot__place"), pk=pk, member=request.user.pk
    )


@login_required
@require_POST
@refusals
def cancel_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(FittingVisit.objects.select_related("slot__place"), pk=pk)
    services.cancel_fitting(visit=visit, by=request.user)
    messages.success(request, _("Your fitting is cancelled."))
    return redirect("closets:start")


@login_required
@require_POST
@refusals
def book_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(CoachingSession, pk=pk)
    services.book_coaching(member=request.user, session=session, by=request.user)
    messages.success(request, _("Your advice session is booked."))
    return redirect("closets:start")


@login_required
@refusals
def rental(request: HttpRequest, pk: int) -> HttpResponse:
    rental = get_object_or_404(Rental.objects.select_related("place", "programme"), pk=pk)
    access.require_renter_or_staff(request.user, rental)
    return render(request, "closets/rental.html", selectors.rental_page(rental))


def _rental_form(request: HttpRequest, pk: int, form_class: type) -> tuple[Rental, Any]:
    rental = get_object_or_404(Rental.objects.select_related("place", "programme"), pk=pk)
    access.require_renter_or_staff(request.user, rental)
    form = form_class(request.POST)
    if not form.is_valid():
        raise InvalidForm(form)
    return rental, form.cleaned_data


@login_required
@require_POST
@refusals
def rental_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Extend, give fit feedback, answer the follow-up, or thank a donor."""
    forms = {"extend": ExtendForm, "feedback": FeedbackForm, "outcome": OutcomeForm}
    if action == "thanks":
        rental, data = _rental_form(request, pk, ThanksForm)
        donation = get_object_or_404(Donation, pk=request.POST.get("donation"))
        services.write_thanks(rental=rental, donation=donation, by=request.user, **data)
        messages.success(request, _("Thank you. Your letter has been sent to the donor."))
    elif action in forms:
        rental, data = _rental_form(request, pk, forms[action])
        if action == "extend" and not data["confirm"]:
            return _extension_preview(request, rental, data["days"])
        if action == "extend":
            services.extend_rental(rental=rental, days=data["days"], by=request.user)
            messages.success(request, _("The rental is extended."))
        elif action == "feedback":
            services.record_feedback(
                rental=rental, feedback=data["fit_feedback"], note=data["fit_note"], by=request.user
            )
            messages.success(request, _("Thank you for telling us how it fitted."))
        else:
            services.answer_follow_up(rental=rental, outcome=data["outcome"], by=request.user)
            messages.success(request, _("Thank you for letting us know."))
    else:
        raise Http404
    return redirect("closets:rental", pk=pk)


def _extension_preview(request: HttpRequest, rental: Rental, days: int) -> HttpResponse:
    """What `days` more would cost and until when, with a button to confirm it."""
    today = timezone.localdate()
    new_due, fee = services.extension_quote(rental, days=days, today=today)
    preview = {"days": days, "new_due": new_due, "fee": fee}
    context = {**selectors.rental_page(rental), "preview": preview}
    return render(request, "closets/rental.html", context)


@refusals
def outcome_answer(request: HttpRequest, token: str) -> HttpResponse:
    """ "Did you get the job?" from the notice's signed link: no sign-in; the token names the
    rental and answers as its renter."""
    rental = outcomes.rental_for(token)
    if rental is None:
        message = _("This link is no longer valid. Sign in to answer on your rental.")
        return render(request, "closets/refused.html", {"message": message}, status=400)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_follow_up(
            rental=rental, outcome=form.cleaned_data["outcome"], by=rental.member
        )
        messages.success(request, _("Thank you for letting us know."))
        return redirect("closets:outcome-answer", token=token)
    context: dict[str, Any] = {"rental": rental, "form": form, "choices": Rental.Outcome.choices}
    status = 400 if form.errors else 200
    return render(request, "closets/outcome_answer.html", context, status=status)


# --- The closet's desk --------------------------------------------------------------------


@login_required
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    place = _staff_place(request, slug)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    context = selectors.desk_day(place, day)
    return render(request, "closets/desk.html", context)


@login_required
@require_POST
@refusals
def offer_slots(request: HttpRequest, slug: str) -> HttpResponse:
    place = _staff_place(request, slug)
    today = timezone.localdate()
    end = today + dt.timedelta(days=selectors.BOOKING_DAYS + 7)
    created = services.create_slots(place=place, start=today, end=end, by=request.user)
    messages.success(request, _("%(n)s new fitting times offered.") % {"n": created})
    return redirect("closets:desk", slug=slug)


@login_required
@require_POST
@refusals
def visit_state(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(FittingVisit.objects.select_related("slot__place"), pk=pk)
    form = VisitStateForm(request.POST)
    if not form.is_valid():
        raise InvalidForm(form)
    services.set_visit_state(visit=visit, state=form.cleaned_data["state"], by=request.user)
    return redirect(_desk_url(visit.slot.place, visit.slot.starts_at))


def _desk_url(place: Place, when: dt.datetime) -> str:
    from django.urls import reverse

    day = timezone.localdate(when).isoformat()
    return f"{reverse('closets:desk', args=[place.slug])}?day={day}"


@login_required
@refusals
def desk_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(FittingVisit.objects.select_related("slot__place", "member"), pk=pk)
    access.require_staff(request.user, visit.slot.place)
    rent_form = RentForm(request.POST or None, prefix="rent")
    proof_form = ProofForm(request.POST or None, prefix="proof")
    if request.method == "POST" and "proof-programme" in request.POST and proof_form.is_valid():
        services.record_proof(
            member=visit.member, place=visit.slot.place, by=request.user, **proof_form.cleaned_data
        )
        messages.success(request, _("Proof recorded."))
        return redirect("closets:desk-visit", pk=pk)
    if request.method == "POST" and "rent-codes" in request.POST and rent_form.is_valid():
        garments = selectors.garments_by_codes(visit.slot.place, rent_form.code_list())
        rental = services.rent_outfit(
            member=visit.member,
            garments=garments,
            programme=rent_form.cleaned_data["programme"],
            place=visit.slot.place,
            visit=visit,
            by=request.user,
        )
        messages.success(request, _("Rented. Due back on %(date)s.") % {"date": rental.due_date})
        return redirect("closets:desk-rental", pk=rental.pk)
    context = selectors.desk_visit_page(visit)
    context.update(rent_form=rent_form, proof_form=proof_form)
    # The visit page shows the renter's measurements and proofs (birth date).
    record_access(
        request.user, visit.member, AccessKind.CLOSET_VISIT, visit, where=visit.slot.place.name_ko
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "closets/desk_visit.html", context, status=status)


@login_required
@refusals
def desk_rental(request: HttpRequest, pk: int) -> HttpResponse:
    rental = get_object_or_404(Rental.objects.select_related("place", "member"), pk=pk)
    access.require_staff(request.user, rental.place)
    out = Garment.objects.filter(
        rental_lines__rental=rental, rental_lines__loan__returned_at__isnull=True
    ).select_related("item")
    form = ReturnForm(request.POST or None, garments=out)
    if request.method == "POST" and form.is_valid():
        services.return_garments(
            rental=rental,
            garments=list(form.cleaned_data["garments"]),
            care=form.cleaned_data["care"],
            by=request.user,
        )
        messages.success(request, _("Return recorded."))
        return redirect("closets:desk-rental", pk=pk)
    context = {**selectors.rental_page(rental), "form": form}
    return render(request, "closets/desk_rental.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@refusals
def garment_care(request: HttpRequest, pk: int) -> HttpResponse:
    garment = get_object_or_404(Garment.objects.select_related("item__place"), pk=pk)
    form = CareForm(request.POST)
    if not form.is_valid():
        raise InvalidForm(form)
    services.set_care(garment=garment, care=form.cleaned_data["care"], by=request.user)
    messages.success(
        request,
        _("%(code)s: %(care)s") % {"code": garment.code, "care": garment.get_care_display()},
    )
    return redirect("closets:desk", slug=garment.item.place.slug)


@login_required
@refusals
def add_garment(request: HttpRequest, slug: str) -> HttpResponse:
    place = _staff_place(request, slug)
    form = GarmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        donation = None
        if data["donor_email"]:
            donor = get_object_or_404(get_user_model(), email__iexact=data["donor_email"])
            donation = services.register_donation(
                donor=donor, place=place, letter=data["letter"], by=request.user
            )
        garment = services.add_garment(
            place=place,
            code=data["code"],
            kind=data["kind"],
            colour=data["colour"],
            style=data["style"],
            donation=donation,
            by=request.user,
            **form.sizes(),
        )
        messages.success(request, _("%(code)s is on the rail.") % {"code": garment.code})
        return redirect("closets:add-garment", slug=slug)
    context = {"place": place, "form": form}
    return render(request, "closets/add_garment.html", context, status=400 if form.errors else 200)


# --- Donors and coaches -------------------------------------------------------------------


@login_required
def donor(request: HttpRequest) -> HttpResponse:
    return render(request, "closets/donor.html", selectors.donor_page(request.user))


@login_required
@refusals
def coach(request: HttpRequest) -> HttpResponse:
    offer = OfferSessionForm(request.POST if "offer" in request.POST else None)
    if offer.is_bound and offer.is_valid():
        services.offer_session(by=request.user, **offer.cleaned_data)
        messages.success(request, _("Your advice session is offered."))
        return redirect("closets:coach")
    if request.method == "POST" and not offer.is_bound:
        session = get_object_or_404(CoachingSession, pk=request.POST.get("session"))
        form = NotesForm(request.POST)
        if not form.is_valid():
            raise InvalidForm(form)
        services.write_coaching_notes(
            session=session, notes=form.cleaned_data["notes"], by=request.user
        )
        messages.success(request, _("Notes saved; the renter can read them."))
        return redirect("closets:coach")
    context = {"sessions": selectors.coach_sessions(request.user), "offer": offer}
    return render(request, "closets/coach.html", context, status=400 if offer.errors else 200)
