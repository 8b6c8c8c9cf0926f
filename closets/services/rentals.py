"""Eligibility, outfit rentals, returns and care, extensions, feedback, follow-up, thanks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lending import services as lending
from lending.models import Category, Item, Loan, Place
from lending.rules import rule_for
from sharing_city.core.errors import DomainError
from sharing_city.notifications.services import notify

from .. import access, dates
from ..exceptions import (
    EmptyOutfit,
    ExtensionRefused,
    GarmentUnavailable,
    InterviewTooFar,
    NotEligible,
    NothingToThank,
    NotYourRental,
    UnknownGarment,
)
from ..models import (
    Donation,
    EligibilityProof,
    FittingVisit,
    Garment,
    Programme,
    Rental,
    RentalGarment,
    RenterProfile,
    ThankYouLetter,
)
from .common import ROOT_CATEGORY, User, _event

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

    Each garment is checked out through lending (never double-lent, event logged), and the
    check-outs and the rental are one transaction: should one garment be refused, or anything
    fail, nothing is recorded, so a renter never leaves with half an outfit. Eligibility and
    the yearly quota are checked first and again under the member's row lock.
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
    with lending.one_transaction():
        # Member first, then items by primary key: the order every lending workflow locks in.
        User.objects.select_for_update().get(pk=member.pk)  # serialises one member's rentals
        loans = [
            (garment, _check_out(garment, member, by, now))
            for garment in sorted(garments, key=lambda g: g.item_id)
        ]
        profile = RenterProfile.objects.filter(member=member).first()
        due = dates.anchored_due(
            place,
            rule_due=max(loan.due_date for _g, loan in loans),
            interview=profile.interview_date if profile else None,
        )
        if due > today + dt.timedelta(days=settings.CLOSET_MAX_RENTAL_DAYS):
            raise InterviewTooFar(days=settings.CLOSET_MAX_RENTAL_DAYS)
        loans = [(garment, _keep_until(garment, loan, due, by, now)) for garment, loan in loans]
        return _record_rental(member, loans, programme, place, by, visit, now, today)


def _check_out(garment: Garment, member: Any, by: Any, now: dt.datetime) -> Loan:
    try:
        return lending.check_out(item=garment.item, member=member, by=by, now=now)
    except DomainError as exc:
        if exc.code in {"item_on_loan", "item_unavailable", "item_not_lendable", "item_set_aside"}:
            raise GarmentUnavailable(code=garment.code) from exc
        raise


def _keep_until(garment: Garment, loan: Loan, due: dt.date, by: Any, now: dt.datetime) -> Loan:
    """Lengthen a garment's loan to the rental's due date (the day after the interview)."""
    if loan.due_date >= due:
        return loan
    cap = settings.CLOSET_MAX_RENTAL_DAYS
    try:
        return lending.extend_loan(
            loan=loan, days=(due - loan.due_date).days, max_total_days=cap, by=by, now=now
        )
    except DomainError as exc:  # someone booked the garment before the day after the interview
        raise GarmentUnavailable(code=garment.code) from exc


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
    with transaction.atomic():  # inside rent_outfit's one transaction, member locked
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
    default). The rest stays on loan. Returning a garment already back changes nothing.
    The check-ins, the care and the rental's state are one transaction."""
    now = now or timezone.now()
    access.require_staff(by, rental.place)
    lines = {line.garment_id: line for line in rental.lines.select_related("loan", "garment__item")}
    with lending.one_transaction():
        for garment in sorted(garments, key=lambda g: g.item_id):  # lock order: items by pk
            line = lines.get(garment.pk)
            if line is None:
                raise UnknownGarment(code=garment.code)
            if line.loan.is_open:
                condition = "needs_repair" if care == Garment.Care.REPAIR else "needs_cleaning"
                lending.check_in(item=line.garment.item, by=by, condition=condition, now=now)
                set_care(garment=line.garment, care=care, by=by, now=now)
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


def fee_terms(programme: Programme, *, member: Any = None, today: dt.date) -> dict[str, Any]:
    """What a renter is told before confirming: the price, the deposit per garment, the
    extension and late fees per day, and (free programmes) how many rentals are left this year."""
    root = Category.objects.filter(slug=ROOT_CATEGORY).first()
    left = None
    if programme.yearly_quota is not None and member is not None:
        used = Rental.objects.for_member(member).filter(programme=programme).in_year(today.year)
        left = max(0, programme.yearly_quota - used.count())
    return {
        "programme": programme,
        "price": programme.rental_price,
        "deposit": rule_for(root, None).deposit if root else Decimal(0),
        "extension_per_day": _per_day(programme.rental_price, programme.extension_fee_percent),
        "late_per_day": _per_day(programme.rental_price, programme.late_fee_percent),
        "quota": programme.yearly_quota,
        "quota_left": left,
    }


def _per_day(price: Decimal, percent: int) -> Decimal:
    return price * percent / 100


def rental_amounts(rental: Rental, *, today: dt.date) -> dict[str, Decimal]:
    """The rental page's and the receipt's money: price, fees so far (extensions charged,
    plus the late fee running while it is overdue and out), and the total due."""
    late = _late_fee(rental, today) if rental.is_open else Decimal(0)
    deposit = sum((line.loan.deposit for line in rental.lines.select_related("loan")), Decimal(0))
    fees = rental.fees + late
    return {
        "price": rental.price,
        "fees": fees,
        "late_running": late,
        "deposit": deposit,
        "total": rental.price + fees,
    }


def extension_quote(rental: Rental, *, days: int, today: dt.date) -> tuple[dt.date, Decimal]:
    """The new due date and its fee for `days` more, or ExtensionRefused: the same sum
    extend_rental charges, shown before the renter confirms."""
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
    added = (new_due - rental.due_date).days
    return new_due, _per_day(rental.price, rental.programme.extension_fee_percent) * added


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
    with lending.one_transaction():  # the item's status and the care together
        lending.set_item_status(
            item=garment.item, status=CARE_TO_STATUS[care], by=by, now=now, reason=care
        )
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
    cap = settings.CLOSET_MAX_RENTAL_DAYS
    new_due, _fee = extension_quote(rental, days=days, today=timezone.localdate(now))
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
        fee = _per_day(rental.price, rental.programme.extension_fee_percent) * added
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
