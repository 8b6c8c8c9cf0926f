"""What home-share holds about a member, for their data export (sharing_city.accounts.rights).

The other side of a match or agreement appears only as "host" or "student": their name,
address and phone are theirs, not part of this member's export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import (
    Agreement,
    AgreementReference,
    AgreementStatus,
    CheckIn,
    Event,
    HostApplication,
    Match,
    ScreeningCheck,
    StudentApplication,
)

_COMMON = (
    "id",
    "status",
    "available_from",
    "available_until",
    "help_tasks",
    "help_hours",
    "languages",
    "interests",
    "meals",
    "about",
    "created_at",
    "submitted_at",
    "interview_on",
    "screened_at",
    "decision_reason",
    "withdrawn_at",
)
_HOST = (
    "birth_date",
    "address",
    "contact_phone",
    "rooms",
    "room_size_m2",
    "furnished",
    "own_bathroom",
    "floor",
    "rent",
    "help_times",
    "smoking_household",
    "has_pets",
    "pets_description",
    "others_in_household",
    "student_gender",
    "quiet_home",
    "min_term_months",
    "home_visit_on",
)
_STUDENT = (
    "enrolment_proof",
    "enrolment_checked",
    "gender",
    "budget",
    "max_commute",
    "available_times",
    "smokes",
    "accepts_smoking_home",
    "pet_allergy",
    "allergies",
    "late_nights",
    "schedule",
)


def _applications(user: Any) -> Iterable[Row]:
    for h in HostApplication.objects.filter(applicant=user).select_related("district"):
        yield row(h, *_COMMON, *_HOST, side="host", district=h.district.code)
    for s in StudentApplication.objects.filter(applicant=user).select_related(
        "district", "university"
    ):
        yield row(
            s,
            *_COMMON,
            *_STUDENT,
            side="student",
            district=s.district.code,
            university=s.university.code if s.university_id else None,
        )


def _matches_of(user: Any) -> Any:
    return Match.objects.filter(
        Q(host_application__applicant=user) | Q(student_application__applicant=user)
    ).select_related("host_application", "student_application")


def _matches(user: Any) -> Iterable[Row]:
    for m in _matches_of(user).order_by("proposed_at", "pk"):
        side = m.side_of(user)
        yield row(
            m,
            "id",
            "status",
            "note_to_both",
            "proposed_at",
            "meeting_on",
            "closed_at",
            side=side,
            my_response=getattr(m, f"{side}_response"),
            my_reason=getattr(m, f"{side}_reason"),
            my_responded_at=getattr(m, f"{side}_responded_at"),
        )


def _agreements(user: Any) -> Iterable[Row]:
    agreements = Agreement.objects.filter(match__in=_matches_of(user)).select_related("match")
    for a in agreements.order_by("created_at", "pk"):
        yield row(
            a,
            "id",
            "status",
            "rent",
            "help_tasks",
            "help_hours",
            "house_rules",
            "start_on",
            "end_on",
            "trial_days",
            "notice_days_trial",
            "notice_days",
            "created_at",
            "host_confirmed_at",
            "student_confirmed_at",
            "extensions",
            "ended_on",
            "end_reason",
            match=a.match_id,
            side=a.match.side_of(user),
        )


def _check_ins(user: Any) -> Iterable[Row]:
    check_ins = CheckIn.objects.filter(agreement__match__in=_matches_of(user))
    for c in check_ins.order_by("due_on", "pk"):
        yield row(c, "due_on", "done_on", agreement=c.agreement_id)


def _events(user: Any) -> Iterable[Row]:
    events = Event.objects.filter(
        Q(host_application__applicant=user) | Q(student_application__applicant=user)
    )
    for e in events.order_by("at", "pk"):
        yield row(e, "at", "action", "subject")


def _acts(user: Any) -> Iterable[Row]:
    for e in Event.objects.filter(actor=user).order_by("at", "pk"):
        yield row(e, "at", "action", "where")


def _checks(user: Any) -> Iterable[Row]:
    # The checks on the member's own applications: what was checked, when, how and the outcome.
    # The referee's name and the coordinator's notes are a third party's words, given in trust.
    checks = ScreeningCheck.objects.filter(
        Q(host_application__applicant=user) | Q(student_application__applicant=user)
    )
    for c in checks.order_by("checked_on", "pk"):
        yield row(c, "kind", "checked_on", "method", "outcome")


def _references(user: Any) -> Iterable[Row]:
    # The references the member wrote (their own words). Those written about them are the other
    # side's confidence to the coordinators, like a referee's notes: not exported.
    for r in AgreementReference.objects.filter(author=user).order_by("created_at", "pk"):
        yield row(r, "author_side", "recommend", "text", "created_at", agreement=r.agreement_id)


def register() -> None:
    register_section("homeshare.checks", _("Checks on your applications"), _checks)
    from sharing_city.accounts.rights import register_retention

    register_closure_rules()
    register_retention("homeshare.proofs", _forget_proofs)
    register_section(
        "homeshare.applications",
        _("Home-share applications"),
        _applications,
        covers=["homeshare.HostApplication.applicant", "homeshare.StudentApplication.applicant"],
    )
    register_section("homeshare.matches", _("Proposed matches"), _matches)
    register_section("homeshare.agreements", _("Agreements"), _agreements)
    register_section("homeshare.check_ins", _("Check-ins"), _check_ins)
    register_section(
        "homeshare.references",
        _("References you left after an agreement"),
        _references,
        covers=["homeshare.AgreementReference.author"],
    )
    register_not_exported(
        "homeshare.AgreementReference.about",
        "the other side's reference, given in confidence to the coordinators",
    )
    register_section("homeshare.events", _("Home-share history"), _events)
    register_section(
        "homeshare.acts",
        _("Home-share work recorded under your name"),
        _acts,
        covers=["homeshare.Event.actor"],
    )
    for label in (
        "homeshare.HostApplication.screened_by",
        "homeshare.StudentApplication.screened_by",
        "homeshare.MatchingRun.run_by",
        "homeshare.Match.proposed_by",
        "homeshare.Agreement.created_by",
        "homeshare.CheckIn.done_by",
        "homeshare.CommuteTime.updated_by",
        "homeshare.ScreeningCheck.recorded_by",
    ):
        register_not_exported(label, "a coordinator's work (its event is exported)")


def _refusals(user: Any) -> Iterable[str]:
    agreements = Agreement.objects.filter(match__in=_matches_of(user))
    if agreements.exclude(status=AgreementStatus.ENDED).exists():
        yield str(_("A home-share agreement is in force: end it with your coordinator first."))


def _anonymise(user: Any, now: Any) -> None:
    hosts = HostApplication.objects.filter(applicant=user)
    hosts.update(
        address="",
        contact_phone="",
        about="",
        interview_notes="",
        home_visit_notes="",
        pets_description="",
        others_in_household="",
        decision_reason="",
    )
    for h in hosts:
        h.birth_date = h.birth_date.replace(month=1, day=1)  # the year: the age figures
        h.save(update_fields=["birth_date"])
    for s in StudentApplication.objects.filter(applicant=user):
        if s.enrolment_proof:
            s.enrolment_proof.delete(save=False)
        s.enrolment_proof = ""
        s.about = s.interview_notes = s.allergies = s.schedule = s.decision_reason = ""
        s.save(
            update_fields=[
                "enrolment_proof",
                "about",
                "interview_notes",
                "allergies",
                "schedule",
                "decision_reason",
            ]
        )
    # References: the member's own words go, and so do those about them (no later screening).
    AgreementReference.objects.filter(Q(author=user) | Q(about=user)).delete()
    matches = _matches_of(user)
    Match.objects.filter(pk__in=matches.filter(host_application__applicant=user)).update(
        host_reason=""
    )
    Match.objects.filter(pk__in=matches.filter(student_application__applicant=user)).update(
        student_reason=""
    )


def register_closure_rules() -> None:
    from sharing_city.accounts.rights import register_closure

    register_closure("homeshare", refusals=_refusals, anonymise=_anonymise)


def _forget_proofs(now: Any) -> int:
    """Proofs of enrolment go RETENTION_PROOF_DAYS after the decision they supported."""
    import datetime as dt

    from django.conf import settings

    cutoff = now - dt.timedelta(days=settings.RETENTION_PROOF_DAYS)
    done = 0
    old = StudentApplication.objects.filter(screened_at__lt=cutoff).exclude(enrolment_proof="")
    for application in old.iterator():
        application.enrolment_proof.delete(save=False)
        application.enrolment_proof = ""
        application.save(update_fields=["enrolment_proof"])
        done += 1
    return done
