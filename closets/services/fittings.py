"""Renters' measurements, fitting visits, fitting slots and career-advice sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lending.models import Place

from .. import access
from ..exceptions import (
    AlreadyBooked,
    NotACoach,
    NotClosetStaff,
    NotYourRental,
    SessionTaken,
    SlotFull,
    SlotPast,
    TooLateToChange,
    VisitClosed,
    VisitStateInvalid,
)
from ..models import (
    Coach,
    CoachingSession,
    FittingSlot,
    FittingVisit,
    RenterProfile,
)
from .common import _event

# --- Renter profile -----------------------------------------------------------------------


def save_profile(
    *, member: Any, by: Any, now: dt.datetime | None = None, **values: Any
) -> RenterProfile:
    """Create or update the renter's measurements; the same values again change nothing."""
    now = now or timezone.now()
    if by.pk != member.pk:
        raise NotYourRental
    with transaction.atomic(durable=True):
        profile = RenterProfile.objects.select_for_update().filter(member=member).first()
        if profile is None:
            profile = RenterProfile(member=member)
        changed = [k for k, v in values.items() if getattr(profile, k, None) != v]
        if profile.pk and not changed:
            return profile
        for key, value in values.items():
            setattr(profile, key, value)
        profile.full_clean()
        profile.save()
        _event("profile_saved", now, by, member=member, data={"changed": changed})
    return profile


# --- Fitting visits -----------------------------------------------------------------------


def book_fitting(
    *,
    member: Any,
    slot: FittingSlot,
    by: Any,
    coaching: CoachingSession | None = None,
    now: dt.datetime | None = None,
) -> FittingVisit:
    """Take a seat in a fitting slot, with an optional advice session.

    Guarantee: a slot never holds more visits than its capacity, whatever the concurrency:
    the slot row is locked before counting, and `booked <= capacity` is a CHECK constraint.
    Guarantee: a member holds at most one future fitting, across every closet. "Future" moves
    with the clock, so no index can state it; instead the member's own row is locked first,
    which serialises one member's bookings (at any closet) and no one else's.
    Booking the same slot again returns the existing visit.
    """
    now = now or timezone.now()
    if by.pk != member.pk and not access.can_staff(by, slot.place):
        raise NotYourRental
    with transaction.atomic(durable=True):
        get_user_model().objects.select_for_update().only("pk").get(pk=member.pk)
        slot = FittingSlot.objects.select_for_update().select_related("place").get(pk=slot.pk)
        existing = FittingVisit.objects.holding_seat().filter(member=member)
        same = existing.filter(slot=slot).first()
        if same is not None:
            return same
        if slot.starts_at <= now:
            raise SlotPast
        if existing.filter(slot__starts_at__gt=now).exists():
            raise AlreadyBooked
        if slot.booked >= slot.capacity:
            raise SlotFull
        visit = FittingVisit.objects.create(
            slot=slot, member=member, created_at=now, changed_at=now
        )
        _take_seat(slot)
        if coaching is not None:
            _claim_session(coaching, member=member, visit=visit, now=now)
        _event(
            "fitting_booked",
            now,
            by,
            member=member,
            place=slot.place,
            visit=visit,
            data={
                "slot": slot.starts_at.isoformat(),
                "coaching": coaching.pk if coaching else None,
            },
        )
    return visit


def _take_seat(slot: FittingSlot) -> None:
    try:
        with transaction.atomic():
            FittingSlot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    except IntegrityError as exc:  # the CHECK constraint: only when a lock was bypassed
        raise SlotFull from exc


def _release_seat(slot_id: int) -> None:
    FittingSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _claim_session(
    session: CoachingSession, *, member: Any, visit: FittingVisit | None, now: dt.datetime
) -> None:
    """One conditional UPDATE: exactly one renter gets an open session."""
    if session.starts_at <= now:
        raise SlotPast
    claimed = CoachingSession.objects.filter(
        pk=session.pk, member__isnull=True, coach__is_active=True
    ).update(member=member, visit=visit, booked_at=now)
    if claimed != 1:
        raise SessionTaken


def _check_cutoff(visit: FittingVisit, by: Any, now: dt.datetime) -> None:
    """Renters change or cancel up to the cut-off; the closet's staff at any time."""
    if access.can_staff(by, visit.slot.place):
        return
    if visit.member_id != by.pk:
        raise NotYourRental
    hours = settings.CLOSET_CANCEL_CUTOFF_HOURS
    if visit.slot.starts_at - now < dt.timedelta(hours=hours):
        raise TooLateToChange(hours=hours)


def change_fitting(
    *, visit: FittingVisit, slot: FittingSlot, by: Any, now: dt.datetime | None = None
) -> FittingVisit:
    """Move a booked visit to another slot of the same closet; its advice session stays."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        visit = (
            FittingVisit.objects.select_for_update().select_related("slot__place").get(pk=visit.pk)
        )
        if visit.slot_id == slot.pk:
            return visit
        if visit.state != FittingVisit.State.BOOKED:
            raise VisitClosed
        _check_cutoff(visit, by, now)
        # Both slot rows, locked in primary-key order so two moves cannot deadlock.
        slots = {
            s.pk: s
            for s in FittingSlot.objects.select_for_update()
            .filter(pk__in=sorted([visit.slot_id, slot.pk]))
            .order_by("pk")
        }
        target = slots[slot.pk]
        if target.place_id != visit.slot.place_id or target.starts_at <= now:
            raise SlotPast
        if target.booked >= target.capacity:
            raise SlotFull
        old = visit.slot
        _release_seat(old.pk)
        _take_seat(target)
        visit.slot = target
        visit.changed_at = now
        visit.save(update_fields=["slot", "changed_at"])
        _event(
            "fitting_changed",
            now,
            by,
            member=visit.member,
            place=target.place,
            visit=visit,
            data={"from": old.starts_at.isoformat(), "to": target.starts_at.isoformat()},
        )
    return visit


def cancel_fitting(*, visit: FittingVisit, by: Any, now: dt.datetime | None = None) -> FittingVisit:
    """Free the seat and any advice session booked with it. Cancelling again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        visit = (
            FittingVisit.objects.select_for_update().select_related("slot__place").get(pk=visit.pk)
        )
        if visit.state == FittingVisit.State.CANCELLED:
            return visit
        if visit.state != FittingVisit.State.BOOKED:
            raise VisitClosed
        _check_cutoff(visit, by, now)
        _cancel_visit(visit, by=by, now=now)
    return visit


def _cancel_visit(visit: FittingVisit, *, by: Any, now: dt.datetime) -> None:
    FittingSlot.objects.select_for_update().get(pk=visit.slot_id)
    _release_seat(visit.slot_id)
    CoachingSession.objects.filter(visit=visit).update(member=None, visit=None, booked_at=None)
    visit.state = FittingVisit.State.CANCELLED
    visit.changed_at = now
    visit.save(update_fields=["state", "changed_at"])
    _event("fitting_cancelled", now, by, member=visit.member, place=visit.slot.place, visit=visit)


def cancel_future_fittings(*, member: Any, now: dt.datetime | None = None) -> int:
    """Cancel a leaving member's booked fittings still to come (account closing), each as
    cancel_fitting would, but past the renter's cut-off: the seat is free for someone else.

    Runs inside the caller's transaction (close_account has locked the member). Returns how
    many it cancelled; a second run finds none."""
    now = now or timezone.now()
    visits = list(
        FittingVisit.objects.select_for_update()
        .select_related("slot__place", "member")
        .filter(member=member, state=FittingVisit.State.BOOKED, slot__starts_at__gt=now)
        .order_by("pk")
    )
    for visit in visits:
        _cancel_visit(visit, by=member, now=now)
    return len(visits)


def set_visit_state(
    *, visit: FittingVisit, state: str, by: Any, now: dt.datetime | None = None
) -> FittingVisit:
    """Staff follow a visit through the day: arrived, measuring, fitting, rented, no rental,
    or no-show. Setting the state it already has is a no-op."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        visit = (
            FittingVisit.objects.select_for_update().select_related("slot__place").get(pk=visit.pk)
        )
        access.require_staff(by, visit.slot.place)
        if visit.state == state:
            return visit
        if state not in FittingVisit.NEXT.get(visit.state, ()):
            raise VisitStateInvalid
        old = visit.state
        visit.state = state
        visit.changed_at = now
        visit.save(update_fields=["state", "changed_at"])
        _event(
            "visit_state",
            now,
            by,
            member=visit.member,
            place=visit.slot.place,
            visit=visit,
            data={"from": old, "to": state},
        )
    return visit


# --- Career advice ------------------------------------------------------------------------


def book_coaching(
    *, member: Any, session: CoachingSession, by: Any, now: dt.datetime | None = None
) -> CoachingSession:
    """Book an advice session on its own (in person or by video). Again: no change."""
    now = now or timezone.now()
    if by.pk != member.pk:
        raise NotYourRental
    with transaction.atomic(durable=True):
        if CoachingSession.objects.filter(pk=session.pk, member=member).exists():
            return CoachingSession.objects.get(pk=session.pk)
        _claim_session(session, member=member, visit=None, now=now)
        session.refresh_from_db()
        _event("coaching_booked", now, by, member=member, place=session.place)
    return session


def offer_session(
    *,
    by: Any,
    place: Place,
    starts_at: dt.datetime,
    skill: str,
    mode: str,
    now: dt.datetime | None = None,
) -> CoachingSession:
    """A coach offers a half hour of advice at a closet (or by video). Offering the same time
    again returns the existing session."""
    now = now or timezone.now()
    coach = Coach.objects.filter(user=by, is_active=True).first()
    if coach is None:
        raise NotACoach
    if starts_at <= now:
        raise SlotPast
    if place.kind != Place.Kind.CLOSET:
        raise NotClosetStaff
    with transaction.atomic(durable=True):
        session, created = CoachingSession.objects.get_or_create(
            coach=coach,
            starts_at=starts_at,
            defaults={"place": place, "skill": skill, "mode": mode},
        )
        if created:
            _event("coaching_offered", now, by, place=place, data={"session": session.pk})
    return session


def write_coaching_notes(
    *, session: CoachingSession, notes: str, by: Any, now: dt.datetime | None = None
) -> CoachingSession:
    """The coach's notes, shown to the renter on their closet page."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        session = (
            CoachingSession.objects.select_for_update().select_related("coach").get(pk=session.pk)
        )
        if session.coach.user_id != by.pk:
            raise NotACoach
        if session.notes == notes:
            return session
        session.notes = notes
        session.save(update_fields=["notes"])
        _event("coaching_notes", now, by, member=session.member, place=session.place)
    return session


# --- Fitting slots ------------------------------------------------------------------------


def create_slots(
    *,
    place: Place,
    start: dt.date,
    end: dt.date,
    by: Any,
    capacity: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Offer 30-minute fitting slots in [start, end] inside the closet's opening hours, on
    its open days. Existing slots are kept as they are, so running it again adds nothing."""
    from lending.opening import open_days

    now = now or timezone.now()
    access.require_staff(by, place)
    capacity = capacity or settings.CLOSET_SLOT_CAPACITY
    step = dt.timedelta(minutes=settings.CLOSET_SLOT_MINUTES)
    hours = list(place.opening_hours.all())
    slots = []
    for day in open_days(place, start, end):
        for period in (h for h in hours if h.weekday == day.weekday()):
            at = timezone.make_aware(dt.datetime.combine(day, period.opens))
            closes = timezone.make_aware(dt.datetime.combine(day, period.closes))
            while at + step <= closes:
                slots.append(FittingSlot(place=place, starts_at=at, capacity=capacity))
                at += step
    with transaction.atomic(durable=True):
        taken = set(
            FittingSlot.objects.filter(
                place=place, starts_at__in=[s.starts_at for s in slots]
            ).values_list("starts_at", flat=True)
        )
        new = [s for s in slots if s.starts_at not in taken]
        if not new:
            return 0
        # ignore_conflicts: a concurrent run may insert the same slot; the constraint decides.
        FittingSlot.objects.bulk_create(new, ignore_conflicts=True)
        _event("slots_offered", now, by, place=place, data={"from": str(start), "to": str(end)})
    return len(new)
