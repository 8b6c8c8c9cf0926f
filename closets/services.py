"""Workflows of the Open Closet: fittings, advice sessions, outfit rentals, care, letters.

Every public function runs in one durable transaction (except the outfit's check-outs, which
are lending's own transactions, see rent_outfit), refuses bad states with a named
ClosetRefused, writes a ClosetEvent row, and is harmless when repeated where a user would
expect that. Garments lend through lending.services, so lending's invariants hold for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from lending import services as lending
from lending.models import ITEM_CODE_VALIDATOR, Category, Item, Loan, Place, Title
from sharing_city.core.errors import DomainError
from sharing_city.notifications.services import notify

from . import access
from .exceptions import (
    AlreadyBooked,
    EmptyOutfit,
    ExtensionRefused,
    GarmentUnavailable,
    InvalidGarmentCode,
    NotACoach,
    NotClosetStaff,
    NotEligible,
    NothingToThank,
    NotYourRental,
    SessionTaken,
    SlotFull,
    SlotPast,
    TooLateToChange,
    UnknownGarment,
    VisitClosed,
    VisitStateInvalid,
)
from .models import (
    ClosetEvent,
    Coach,
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
    Style,
    ThankYouLetter,
)

User = get_user_model()
ROOT_CATEGORY = "interview-clothing"


def _event(action: str, at: dt.datetime, by: Any, **fields: Any) -> ClosetEvent:
    return ClosetEvent.objects.create(action=action, at=at, actor=by, **fields)


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
    Booking the same slot again returns the existing visit.
    """
    now = now or timezone.now()
    if by.pk != member.pk and not access.can_staff(by, slot.place):
        raise NotYourRental
    with transaction.atomic(durable=True):
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
        FittingSlot.objects.select_for_update().get(pk=visit.slot_id)
        _release_seat(visit.slot_id)
        CoachingSession.objects.filter(visit=visit).update(member=None, visit=None, booked_at=None)
        visit.state = FittingVisit.State.CANCELLED
        visit.changed_at = now
        visit.save(update_fields=["state", "changed_at"])
        _event(
            "fitting_cancelled", now, by, member=visit.member, place=visit.slot.place, visit=visit
        )
    return visit


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


# --- Eligibility and rentals --------------------------------------------------------------


def record_proof(
    *,
    member: Any,
    programme: Programme,
    birth_date: dt.date,
    residence_city: str,
    by: Any,
    place: Place,
    now: dt.datetime | None = None,
) -> EligibilityProof:
    """Staff record what they saw (ID, residence certificate) for a free programme."""
    now = now or timezone.now()
    access.require_staff(by, place)
    with transaction.atomic(durable=True):
        proof, _ = EligibilityProof.objects.update_or_create(
            member=member,
            programme=programme,
            defaults={
                "birth_date": birth_date,
                "residence_city": residence_city,
                "checked_by": by,
                "checked_at": now,
            },
        )
        _event(
            "proof_recorded",
            now,
            by,
            member=member,
            place=place,
            data={"programme": programme.slug},
        )
    return proof


def eligibility_refusal(member: Any, programme: Programme, *, today: dt.date) -> NotEligible | None:
    """Why the programme cannot lend to this member now, or None."""
    values: dict[str, Any] = {
        "min": programme.min_age,
        "max": programme.max_age,
        "quota": programme.yearly_quota,
    }
    reasons = []
    if programme.needs_proof:
        proof = EligibilityProof.objects.filter(member=member, programme=programme).first()
        if proof is None:
            return NotEligible(["no_proof"], **values)
        age = _age(proof.birth_date, today)
        if programme.min_age is not None and age < programme.min_age:
            reasons.append("too_young")
        if programme.max_age is not None and age > programme.max_age:
            reasons.append("too_old")
        if programme.residence_city and proof.residence_city != programme.residence_city:
            reasons.append("not_resident")
    if programme.yearly_quota is not None:
        used = Rental.objects.for_member(member).filter(programme=programme).in_year(today.year)
        if used.count() >= programme.yearly_quota:
            reasons.append("quota")
    return NotEligible(reasons, **values) if reasons else None


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def rent_outfit(
    *,
    member: Any,
    garments: Sequence[Garment],
    programme: Programme,
    place: Place,
    by: Any,
    visit: FittingVisit | None = None,
    now: dt.datetime | None = None,
) -> Rental:
    """Lend several garments as one rental with one due date.

    Each garment is checked out through lending (its own transaction: never double-lent, event
    logged). Should one be refused, the loans already made are checked back in ("undone") and
    the refusal is raised, so a renter never leaves with half an outfit recorded. Eligibility
    and the yearly quota are checked first and again under the member's row lock.
    """
    now = now or timezone.now()
    access.require_staff(by, place)
    if not garments:
        raise EmptyOutfit
    today = timezone.localdate(now)
    refusal = eligibility_refusal(member, programme, today=today)
    if refusal is not None:
        raise refusal
    for garment in garments:
        if garment.item.place_id != place.pk:
            raise UnknownGarment(code=garment.code)
        if garment.care != Garment.Care.AVAILABLE:
            raise GarmentUnavailable(code=garment.code)
    loans: list[tuple[Garment, Loan]] = []
    try:
        for garment in sorted(garments, key=lambda g: g.item_id):
            loans.append((garment, _check_out(garment, member, by, now)))
        return _record_rental(member, loans, programme, place, by, visit, now, today)
    except DomainError:
        for garment, _loan in loans:
            lending.check_in(item=garment.item, by=by, now=now, note="outfit rental undone")
        raise


def _check_out(garment: Garment, member: Any, by: Any, now: dt.datetime) -> Loan:
    try:
        return lending.check_out(item=garment.item, member=member, by=by, now=now)
    except DomainError as exc:
        if exc.code in {"item_on_loan", "item_unavailable", "item_not_lendable", "item_set_aside"}:
            raise GarmentUnavailable(code=garment.code) from exc
        raise


def _record_rental(
    member: Any,
    loans: list[tuple[Garment, Loan]],
    programme: Programme,
    place: Place,
    by: Any,
    visit: FittingVisit | None,
    now: dt.datetime,
    today: dt.date,
) -> Rental:
    with transaction.atomic(durable=True):
        User.objects.select_for_update().get(pk=member.pk)  # serialises one member's rentals
        refusal = eligibility_refusal(member, programme, today=today)
        if refusal is not None:
            raise refusal
        profile = RenterProfile.objects.filter(member=member).first()
        rental = Rental.objects.create(
            member=member,
            place=place,
            programme=programme,
            visit=visit,
            purpose=profile.purpose if profile else RenterProfile.Purpose.INTERVIEW,
            interview_date=profile.interview_date if profile else None,
            measurements=profile.measured() if profile else {},
            style=profile.style if profile else "unisex",
            height=profile.height if profile else None,
            weight=profile.weight if profile else None,
            rented_at=now,
            rented_by=by,
            due_date=max(loan.due_date for _g, loan in loans),
            price=programme.rental_price,
        )
        RentalGarment.objects.bulk_create(
            [RentalGarment(rental=rental, garment=g, loan=loan) for g, loan in loans]
        )
        if visit is not None:
            FittingVisit.objects.filter(pk=visit.pk).update(state="rented", changed_at=now)
        _event(
            "rented",
            now,
            by,
            member=member,
            place=place,
            rental=rental,
            visit=visit,
            data={"garments": [g.code for g, _loan in loans], "due": rental.due_date.isoformat()},
        )
    return rental


def return_garments(
    *,
    rental: Rental,
    garments: Sequence[Garment],
    by: Any,
    care: str = Garment.Care.LAUNDRY,
    now: dt.datetime | None = None,
) -> Rental:
    """Take back some or all of an outfit; returned garments go to `care` (laundry by
    default). The rest stays on loan. Returning a garment already back changes nothing."""
    now = now or timezone.now()
    access.require_staff(by, rental.place)
    lines = {line.garment_id: line for line in rental.lines.select_related("loan", "garment__item")}
    for garment in garments:
        line = lines.get(garment.pk)
        if line is None:
            raise UnknownGarment(code=garment.code)
        if line.loan.is_open:
            condition = "needs_repair" if care == Garment.Care.REPAIR else "needs_cleaning"
            lending.check_in(item=line.garment.item, by=by, condition=condition, now=now)
            set_care(garment=line.garment, care=care, by=by, now=now)
    with transaction.atomic(durable=True):
        rental = Rental.objects.select_for_update().get(pk=rental.pk)
        still_out = Loan.objects.filter(closet_line__rental=rental, returned_at__isnull=True)
        if rental.returned_at is None and not still_out.exists():
            rental.returned_at = now
            rental.fees += _late_fee(rental, timezone.localdate(now))
            rental.save(update_fields=["returned_at", "fees"])
            _event("returned", now, by, member=rental.member, place=rental.place, rental=rental)
        elif garments:
            _event(
                "returned_part",
                now,
                by,
                member=rental.member,
                place=rental.place,
                rental=rental,
                data={"garments": [g.code for g in garments]},
            )
    return rental


def _late_fee(rental: Rental, today: dt.date) -> Decimal:
    days = max(0, (today - rental.due_date).days)
    return rental.price * rental.programme.late_fee_percent * days / 100


CARE_TO_STATUS: dict[str, str] = {
    Garment.Care.AVAILABLE: Item.Status.ACTIVE,
    Garment.Care.LAUNDRY: Item.Status.MAINTENANCE,
    Garment.Care.REPAIR: Item.Status.MAINTENANCE,
    Garment.Care.DISCARDED: Item.Status.RETIRED,
}


def set_care(*, garment: Garment, care: str, by: Any, now: dt.datetime | None = None) -> Garment:
    """Laundry, repair, back on the rail, or discarded; the lending item's status follows
    (maintenance, active, retired), so lending never lends a garment in the wash."""
    now = now or timezone.now()
    garment = Garment.objects.select_related("item__place").get(pk=garment.pk)
    access.require_staff(by, garment.item.place)
    if garment.care == care:
        return garment
    lending.set_item_status(
        item=garment.item, status=CARE_TO_STATUS[care], by=by, now=now, reason=care
    )
    with transaction.atomic(durable=True):
        old = garment.care
        Garment.objects.filter(pk=garment.pk).update(care=care)
        garment.care = care
        _event(
            "care",
            now,
            by,
            place=garment.item.place,
            garment=garment,
            data={"from": old, "to": care},
        )
    return garment


def extend_rental(*, rental: Rental, days: int, by: Any, now: dt.datetime | None = None) -> Rental:
    """Move the outfit's due date `days` later, up to CLOSET_MAX_RENTAL_DAYS in total; refused
    when overdue. Paid programmes charge the extension fee per day."""
    now = now or timezone.now()
    access.require_renter_or_staff(by, rental)
    today = timezone.localdate(now)
    cap = settings.CLOSET_MAX_RENTAL_DAYS
    if not rental.is_open:
        raise ExtensionRefused("closed")
    if today > rental.due_date:
        raise ExtensionRefused("overdue")
    new_due = min(
        rental.due_date + dt.timedelta(days=days),
        timezone.localdate(rental.rented_at) + dt.timedelta(days=cap),
    )
    if new_due <= rental.due_date:
        raise ExtensionRefused("limit", days=cap)
    open_loans = Loan.objects.filter(closet_line__rental=rental, returned_at__isnull=True)
    for loan in open_loans.order_by("item_id"):
        if loan.due_date >= new_due:
            continue
        try:
            lending.extend_loan(
                loan=loan, days=(new_due - loan.due_date).days, max_total_days=cap, by=by, now=now
            )
        except DomainError as exc:
            raise ExtensionRefused("booked") from exc
    with transaction.atomic(durable=True):
        rental = Rental.objects.select_for_update().get(pk=rental.pk)
        if rental.due_date >= new_due:
            return rental
        added = (new_due - rental.due_date).days
        fee = rental.price * rental.programme.extension_fee_percent * added / 100
        old = rental.due_date
        rental.due_date = new_due
        rental.fees += fee
        rental.save(update_fields=["due_date", "fees"])
        _event(
            "extended",
            now,
            by,
            member=rental.member,
            place=rental.place,
            rental=rental,
            data={"from": old.isoformat(), "to": new_due.isoformat(), "fee": str(fee)},
        )
    return rental


# --- After the rental ---------------------------------------------------------------------


def record_feedback(
    *, rental: Rental, feedback: str, note: str = "", by: Any, now: dt.datetime | None = None
) -> Rental:
    """How the outfit fitted, after return: the data that tunes the tolerance windows."""
    now = now or timezone.now()
    access.require_renter_or_staff(by, rental)
    with transaction.atomic(durable=True):
        rental = Rental.objects.select_for_update().get(pk=rental.pk)
        if (rental.fit_feedback, rental.fit_note) == (feedback, note):
            return rental
        rental.fit_feedback, rental.fit_note = feedback, note
        rental.save(update_fields=["fit_feedback", "fit_note"])
        _event("fit_feedback", now, by, member=rental.member, rental=rental, data={"fit": feedback})
    return rental


def answer_follow_up(
    *, rental: Rental, outcome: str, by: Any, now: dt.datetime | None = None
) -> Rental:
    """ "How did it go?": the renter's answer, counted in the reports."""
    now = now or timezone.now()
    if rental.member_id != by.pk:
        raise NotYourRental
    with transaction.atomic(durable=True):
        rental = Rental.objects.select_for_update().get(pk=rental.pk)
        if rental.outcome == outcome:
            return rental
        rental.outcome, rental.outcome_at = outcome, now
        rental.save(update_fields=["outcome", "outcome_at"])
        _event("outcome", now, by, member=rental.member, rental=rental, data={"outcome": outcome})
    return rental


def write_thanks(
    *,
    rental: Rental,
    donation: Donation,
    text: str,
    may_publish: bool,
    by: Any,
    now: dt.datetime | None = None,
) -> ThankYouLetter:
    """A renter thanks the donor of a garment they wore; the donor is told. Again: no copy."""
    now = now or timezone.now()
    if rental.member_id != by.pk:
        raise NotYourRental
    if not rental.lines.filter(garment__donation=donation).exists():
        raise NothingToThank
    with transaction.atomic(durable=True):
        letter, created = ThankYouLetter.objects.get_or_create(
            rental=rental,
            donation=donation,
            defaults={"text": text, "may_publish": may_publish, "written_at": now},
        )
        if created:
            _event(
                "thanks",
                now,
                by,
                member=rental.member,
                rental=rental,
                data={"donation": donation.pk},
            )
            notify(
                recipient=donation.donor,
                subject_type="closets.thankyouletter",
                subject_id=letter.pk,
                kind="closet_thanks",
                now=now,
            )
    return letter


# --- Donations ----------------------------------------------------------------------------


def register_donation(
    *, donor: Any, place: Place, letter: str, by: Any, now: dt.datetime | None = None
) -> Donation:
    """Staff record a donor's gift and letter; garments are then added with `add_garment`."""
    now = now or timezone.now()
    access.require_staff(by, place)
    with transaction.atomic(durable=True):
        donation = Donation.objects.create(donor=donor, place=place, letter=letter, created_at=now)
        _event("donation", now, by, member=donor, place=place, data={"donation": donation.pk})
    return donation


def add_garment(
    *,
    place: Place,
    code: str,
    kind: str,
    colour: str,
    style: str,
    by: Any,
    donation: Donation | None = None,
    now: dt.datetime | None = None,
    **sizes: int | None,
) -> Garment:
    """A new garment on the rail: a lending item (code starting with its kind's letter) under
    the interview-clothing category, with its sizes. The same code again returns it."""
    now = now or timezone.now()
    access.require_staff(by, place)
    code = code.strip().upper()
    letter = Garment.LETTERS[kind]
    try:
        ITEM_CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise InvalidGarmentCode(letter=letter) from exc
    if not code.startswith(letter):
        raise InvalidGarmentCode(letter=letter)
    with transaction.atomic(durable=True):
        existing = Garment.objects.filter(item__code=code).select_related("item").first()
        if existing is not None:
            return existing
        if Item.objects.filter(code=code).exists():  # a tool or a book has this code
            raise InvalidGarmentCode(letter=letter)
        category = _category_for(kind)
        with translation.override("ko"):
            name_ko = f"{Garment.Kind(kind).label} ({Style(style).label})"
        with translation.override("en"):
            name_en = f"{Garment.Kind(kind).label} ({Style(style).label})"
        title, _ = Title.objects.get_or_create(
            category=category, name_ko=name_ko, defaults={"name_en": name_en}
        )
        item = Item.objects.create(code=code, title=title, place=place)
        garment = Garment.objects.create(
            item=item, kind=kind, colour=colour, style=style, donation=donation, **sizes
        )
        _event("garment_added", now, by, place=place, garment=garment)
    return garment


def _category_for(kind: str) -> Category:
    root, _ = Category.objects.get_or_create(
        slug=ROOT_CATEGORY, defaults={"name_ko": "면접 의류", "name_en": "Interview clothing"}
    )
    category, _ = Category.objects.get_or_create(
        slug=f"{ROOT_CATEGORY}-{kind}",
        defaults={"name_ko": _label(kind, "ko"), "name_en": _label(kind, "en"), "parent": root},
    )
    return category


def _label(kind: str, language: str) -> str:
    with translation.override(language):
        return str(Garment.Kind(kind).label)


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
