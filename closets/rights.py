"""What Open Closet holds about a member, for their data export (sharing_city.accounts.rights)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import (
    ClosetEvent,
    Coach,
    CoachingSession,
    Donation,
    EligibilityProof,
    FittingVisit,
    Rental,
    RenterProfile,
    ThankYouLetter,
)

SIZES = (
    "neck",
    "bust",
    "waist",
    "hip",
    "topbelly",
    "belly",
    "arm",
    "thigh",
    "length",
    "cuff",
    "foot",
)


def _profile(user: Any) -> Iterable[Row]:
    for p in RenterProfile.objects.filter(member=user):
        yield row(
            p,
            *SIZES,
            "style",
            "height",
            "weight",
            "purpose",
            "interview_date",
            "preferred_colour",
            "updated_at",
        )


def _visits(user: Any) -> Iterable[Row]:
    visits = FittingVisit.objects.filter(member=user).select_related("slot__place")
    for v in visits.order_by("created_at", "pk"):
        yield row(
            v,
            "id",
            "state",
            "created_at",
            "changed_at",
            starts_at=v.slot.starts_at,
            place=v.slot.place.slug,
        )


def _coaching(user: Any) -> Iterable[Row]:
    sessions = CoachingSession.objects.filter(member=user).select_related("place")
    for c in sessions.order_by("starts_at", "pk"):
        yield row(c, "starts_at", "skill", "mode", "booked_at", "notes", place=c.place.slug)


def _proofs(user: Any) -> Iterable[Row]:
    for p in EligibilityProof.objects.filter(member=user).select_related("programme"):
        yield row(p, "birth_date", "residence_city", "checked_at", programme=p.programme.slug)


def _rentals(user: Any) -> Iterable[Row]:
    rentals = (
        Rental.objects.filter(member=user)
        .select_related("place", "programme")
        .prefetch_related("lines__garment__item")
    )
    for r in rentals.order_by("rented_at", "pk"):
        yield row(
            r,
            "id",
            "purpose",
            "interview_date",
            "measurements",
            "style",
            "height",
            "weight",
            "rented_at",
            "due_date",
            "returned_at",
            "price",
            "fees",
            "fit_feedback",
            "fit_note",
            "outcome",
            "outcome_at",
            place=r.place.slug,
            programme=r.programme.slug if r.programme_id else None,
            garments=[g.garment.item.code for g in r.lines.all()],
        )


def _letters(user: Any) -> Iterable[Row]:
    letters = ThankYouLetter.objects.filter(rental__member=user)
    for t in letters.order_by("written_at", "pk"):
        yield row(t, "text", "may_publish", "written_at", rental=t.rental_id)


def _donations(user: Any) -> Iterable[Row]:
    for d in Donation.objects.filter(donor=user).select_related("place").order_by("created_at"):
        yield row(d, "letter", "created_at", place=d.place.slug)


def _coach(user: Any) -> Iterable[Row]:
    for c in Coach.objects.filter(user=user):
        yield row(c, "skills", "bio", "is_active")


def _events(user: Any) -> Iterable[Row]:
    for e in ClosetEvent.objects.filter(member=user).order_by("at", "pk"):
        yield row(e, "at", "action", "subject")


def _acts(user: Any) -> Iterable[Row]:
    for e in ClosetEvent.objects.filter(actor=user).order_by("at", "pk"):
        yield row(e, "at", "action", "where")


def register() -> None:
    register_closure_rules()
    register_section(
        "closets.measurements",
        _("Body measurements"),
        _profile,
        covers=["closets.RenterProfile.member"],
    )
    register_section(
        "closets.fittings", _("Fittings"), _visits, covers=["closets.FittingVisit.member"]
    )
    register_section(
        "closets.coaching",
        _("Career advice"),
        _coaching,
        covers=["closets.CoachingSession.member"],
    )
    register_section(
        "closets.eligibility",
        _("Eligibility checks"),
        _proofs,
        covers=["closets.EligibilityProof.member"],
    )
    register_section("closets.rentals", _("Rentals"), _rentals, covers=["closets.Rental.member"])
    register_section("closets.letters", _("Thank-you letters"), _letters)
    register_section(
        "closets.donations", _("Donations"), _donations, covers=["closets.Donation.donor"]
    )
    register_section("closets.coach", _("Coach profile"), _coach, covers=["closets.Coach.user"])
    register_section(
        "closets.events",
        _("Open Closet history"),
        _events,
        covers=["closets.ClosetEvent.member"],
    )
    register_section(
        "closets.acts",
        _("Open Closet work recorded under your name"),
        _acts,
        covers=["closets.ClosetEvent.actor"],
    )
    for label in ("closets.EligibilityProof.checked_by", "closets.Rental.rented_by"):
        register_not_exported(label, "desk work on another member's rental (its event is exported)")


def _refusals(user: Any) -> Iterable[str]:
    if Rental.objects.filter(member=user).open().exists():
        yield str(_("A rental is still out: return the clothes first."))


def _anonymise(user: Any, now: Any) -> None:
    from .services.fittings import cancel_future_fittings

    cancel_future_fittings(member=user, now=now)  # the seats go back to the closet
    RenterProfile.objects.filter(member=user).delete()
    Rental.objects.filter(member=user).update(
        measurements={}, height=None, weight=None, fit_note=""
    )
    ThankYouLetter.objects.filter(rental__member=user).update(text="", may_publish=False)
    Donation.objects.filter(donor=user).update(letter="")
    CoachingSession.objects.filter(member=user).update(notes="")
    Coach.objects.filter(user=user).update(bio="")
    # The birth date goes; the year stays, as the age the eligibility figures counted.
    for proof in EligibilityProof.objects.filter(member=user):
        proof.birth_date = proof.birth_date.replace(month=1, day=1)
        proof.save(update_fields=["birth_date"])


def register_closure_rules() -> None:
    from sharing_city.accounts.rights import register_closure

    register_closure("closets", refusals=_refusals, anonymise=_anonymise)
