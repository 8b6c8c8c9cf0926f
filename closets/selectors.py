"""Reads for the closet's pages: each builds one page's data in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone

from lending.models import Place
from sharing_city.core import bounds

from . import access, dates
from .exceptions import UnknownGarment
from .models import (
    BODY_PARTS,
    CoachingSession,
    Donation,
    EligibilityProof,
    FittingSlot,
    FittingVisit,
    Garment,
    Programme,
    Rental,
    RentalGarment,
    RenterProfile,
    ThankYouLetter,
)
from .services.rentals import rental_amounts

ALL_PARTS = [*BODY_PARTS, "foot"]
BOOKING_DAYS = 14


def start_page(user: Any, *, now: dt.datetime) -> dict[str, Any]:
    closets = list(Place.objects.filter(kind=Place.Kind.CLOSET, is_active=True))
    context: dict[str, Any] = {"closets": closets}
    if not user.is_authenticated:
        return context
    context.update(
        profile=RenterProfile.objects.filter(member=user).first(),
        visits=list(
            FittingVisit.objects.holding_seat()
            .filter(member=user, slot__starts_at__gt=now - dt.timedelta(hours=12))
            .select_related("slot__place")
            .prefetch_related("coaching__coach__user")
        ),
        sessions=list(
            CoachingSession.objects.filter(member=user).select_related("coach__user", "place")
        ),
        open_sessions=list(
            CoachingSession.objects.open()
            .upcoming(now)
            .filter(visit__isnull=True)
            .select_related("coach__user", "place")[:10]
        ),
        rentals=list(Rental.objects.for_member(user).select_related("place")),
        desks=list(access.closets_worked_by(user)),
        is_coach=hasattr(user, "closet_coach"),
        is_donor=Donation.objects.filter(donor=user).exists(),
    )
    return context


def bookable(place: Place, *, now: dt.datetime) -> tuple[Any, Any]:
    """Slots with a free seat and open advice sessions at `place` in the coming weeks."""
    until = now + dt.timedelta(days=BOOKING_DAYS)
    slots = (
        FittingSlot.objects.at_place(place)
        .upcoming(now)
        .with_seats()
        .filter(starts_at__lt=until)
        .order_by("starts_at")
    )
    sessions = (
        CoachingSession.objects.open()
        .upcoming(now)
        .filter(place=place, starts_at__lt=until)
        .select_related("coach__user")
    )
    return slots, sessions


def slots_by_day(slots: Any, chosen: str | None, member: Any = None) -> dict[str, Any]:
    """The days with a free seat, and the slots of the chosen day (else the first day of the
    member's pickup window before their interview, else the first day)."""
    by_day: dict[dt.date, list[FittingSlot]] = {}
    for slot in slots:
        by_day.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    days = list(by_day)
    profile = RenterProfile.objects.filter(member=member).first() if member else None
    window = dates.pickup_window(profile.interview_date) if profile else None
    in_window = [d for d in days if window and window[0] <= d <= window[1]]
    first = in_window[0] if in_window else (days[0] if days else None)
    day = next((d for d in days if d.isoformat() == chosen), first)
    return {
        "days": days,
        "day": day,
        "day_slots": by_day.get(day, []) if day else [],
        "interview": profile.interview_date if profile else None,
        "pickup_window": window,
        "window_days": in_window,
    }


def programmes() -> list[Programme]:
    return list(Programme.objects.order_by("rental_price", "pk"))


def rental_page(rental: Rental) -> dict[str, Any]:
    lines = list(
        RentalGarment.objects.filter(rental=rental).select_related(
            "garment__item", "garment__donation__donor", "loan"
        )
    )
    donations = {line.garment.donation for line in lines if line.garment.donation is not None}
    thanked = set(
        ThankYouLetter.objects.filter(rental=rental).values_list("donation_id", flat=True)
    )
    return {
        "rental": rental,
        "lines": lines,
        "donations": sorted(donations, key=lambda d: d.pk),
        "thanked": thanked,
        "today": timezone.localdate(),
        "amounts": rental_amounts(rental, today=timezone.localdate()),
    }


def desk_day(place: Place, day: dt.date) -> dict[str, Any]:
    """The staff timetable: each slot of the day with its visits and their states."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    slots = list(
        FittingSlot.objects.at_place(place)
        .on_day(start, start + dt.timedelta(days=1))
        .prefetch_related(
            Prefetch(
                "visits",
                queryset=FittingVisit.objects.exclude(state="cancelled")
                .select_related("member")
                .prefetch_related("coaching__coach__user"),
            )
        )
    )
    in_care = list(
        Garment.objects.at_place(place)
        .filter(care__in=[Garment.Care.LAUNDRY, Garment.Care.REPAIR])
        .select_related("item")
    )
    open_rentals = list(
        Rental.objects.open().filter(place=place).select_related("member").order_by("due_date")
    )
    return {
        "place": place,
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "slots": slots,
        "in_care": in_care,
        "open_rentals": open_rentals,
        "next_states": FittingVisit.NEXT,
        "state_labels": dict(FittingVisit.State.choices),
    }


def desk_visit_page(visit: FittingVisit) -> dict[str, Any]:
    from .fitting import recommend

    profile = RenterProfile.objects.filter(member=visit.member).first()
    result = None
    if profile is not None:
        today = timezone.localdate()
        result = recommend(
            place=visit.slot.place,
            body={p: getattr(profile, p) for p in ALL_PARTS},
            style=profile.style,
            height=profile.height,
            weight=profile.weight,
            preferred_colour=profile.preferred_colour,
            start=today,
            end_exclusive=bounds.add_days(max(profile.interview_date, today), 1),
        ).shown(suits=5, garments=0)
    interview = profile.interview_date if profile else None
    return {
        "visit": visit,
        "profile": profile,
        "pickup_window": dates.pickup_window(interview) if interview else None,
        "early_pickup": dates.pickup_too_early(timezone.localdate(), interview),
        "result": result,
        "programmes": list(Programme.objects.all()),
        "proofs": list(
            EligibilityProof.objects.filter(member=visit.member).select_related("programme")
        ),
    }


def garments_by_codes(place: Place, codes: Sequence[str]) -> list[Garment]:
    """The garments of `place` with these codes, or UnknownGarment naming the first missing."""
    found = {
        g.code: g
        for g in Garment.objects.at_place(place).filter(item__code__in=codes).select_related("item")
    }
    for code in codes:
        if code not in found:
            raise UnknownGarment(code=code)
    return [found[c] for c in dict.fromkeys(codes)]


def donor_page(user: Any) -> dict[str, Any]:
    donations = list(
        Donation.objects.filter(donor=user)
        .select_related("place")
        .annotate(garment_count=Count("garments", distinct=True))
    )
    dressed = (
        Rental.objects.filter(lines__garment__donation__donor=user)
        .values("member")
        .distinct()
        .count()
    )
    letters = list(ThankYouLetter.objects.filter(donation__donor=user).order_by("-written_at"))
    return {"donations": donations, "dressed": dressed, "letters": letters}


def coach_sessions(user: Any) -> list[CoachingSession]:
    """A coach's own sessions, each with how the renter's interview went (their rental's
    answer, when the session came with a fitting that led to one)."""
    return list(
        CoachingSession.objects.filter(coach__user=user)
        .select_related("member", "place", "visit__rental")
        .order_by("starts_at")
    )
