"""Applications: the applicant saves, submits and withdraws; the coordinator screens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District, User

from .. import notices
from ..access import can_coordinate
from ..exceptions import (
    ApplicationRefused,
    NotAllowed,
)
from ..models import (
    OPEN_MATCH_STATUSES,
    REFERENCES_NEEDED,
    Application,
    ApplicationStatus,
    CheckKind,
    CheckOutcome,
    HostApplication,
    Match,
    MatchStatus,
    ScreeningCheck,
    StudentApplication,
)
from .common import AppT, _event, _links, _locked, _now


def save_application(
    *,
    by: User,
    application: AppT,
    fields: dict[str, Any],
    districts: list[District] | None = None,
    submit: bool = False,
    now: datetime | None = None,
) -> AppT:
    """Create or update the applicant's own draft (or not yet screened) application.

    `fields` are model fields already shaped by the form. With submit=True the application goes
    to the coordinator after the programme's checks (a host is 60 or older).
    """
    now = _now(now)
    with transaction.atomic(durable=True):
        if application.pk is not None:
            application = _locked(application)
            if application.applicant_id != by.pk:
                raise NotAllowed()
            if not application.is_editable:
                raise ApplicationRefused(_("The application was screened and can't be edited."))
        else:
            application.applicant = by
        for name, value in fields.items():
            # As ModelForm does: a cleared file becomes empty, an untouched one stays.
            model_field = application._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            model_field.save_form_data(application, value)
        if submit:
            _check_submittable(application, now.date())
            if application.status == ApplicationStatus.DRAFT:
                application.status = ApplicationStatus.SUBMITTED
                application.submitted_at = now
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ApplicationRefused(
                _("You already have an application of this kind. Withdraw it first.")
            ) from exc
        if districts is not None and isinstance(application, StudentApplication):
            application.accepted_districts.set(districts)
        kind = "submitted" if submit else "saved"
        _event(kind, now, by, application.district, **_links(application))
    return application


def _check_submittable(application: Application, today: date) -> None:
    too_young = isinstance(application, HostApplication) and (
        application.age(today) < HostApplication.MIN_AGE
    )
    if too_young:
        raise ApplicationRefused(_("Hosts must be 60 or older."))
    if application.available_until and application.available_until <= application.available_from:
        raise ApplicationRefused(_("The end date must be after the start date."))


def withdraw_application(*, by: User, application: AppT, now: datetime | None = None) -> AppT:
    """The applicant withdraws; open proposals are cancelled. Refused while an agreement runs."""
    now = _now(now)
    with transaction.atomic(durable=True):
        application = _locked(application)
        if application.applicant_id != by.pk:
            raise NotAllowed()
        if application.status == ApplicationStatus.WITHDRAWN:
            return application
        if application.status == ApplicationStatus.REJECTED:
            raise ApplicationRefused()
        matches = Match.objects.select_for_update().filter(
            status__in=OPEN_MATCH_STATUSES, **_links(application)
        )
        if any(m.status == MatchStatus.AGREED for m in matches):
            raise ApplicationRefused(_("An agreement is in force: end it with the coordinator."))
        for match in matches:
            match.status = MatchStatus.CANCELLED
            match.closed_at = now
            match.save(update_fields=["status", "closed_at"])
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_at = now
        application.save(update_fields=["status", "withdrawn_at"])
        _event("withdrawn", now, by, application.district, **_links(application))
    return application


# --- Screening -----------------------------------------------------------------------------


def record_screening(
    *,
    by: User,
    application: AppT,
    interview_on: date | None = None,
    interview_notes: str = "",
    home_visit_on: date | None = None,
    home_visit_notes: str = "",
    enrolment_checked: bool | None = None,
    now: datetime | None = None,
) -> AppT:
    """The coordinator records the interview (and, for hosts, the home visit)."""
    now = _now(now)
    with transaction.atomic(durable=True):
        application = _locked(application)
        if not can_coordinate(by, application.district):
            raise NotAllowed()
        if application.status != ApplicationStatus.SUBMITTED:
            raise ApplicationRefused(_("Only applications waiting for screening can be changed."))
        changed = ["interview_on", "interview_notes"]
        application.interview_on = interview_on
        application.interview_notes = interview_notes
        if isinstance(application, HostApplication):
            application.home_visit_on = home_visit_on
            application.home_visit_notes = home_visit_notes
            changed += ["home_visit_on", "home_visit_notes"]
        elif isinstance(application, StudentApplication) and enrolment_checked is not None:
            application.enrolment_checked = enrolment_checked
            changed.append("enrolment_checked")
        application.save(update_fields=changed)
        _event("screening_recorded", now, by, application.district, **_links(application))
    return application


def screen_application(
    *,
    by: User,
    application: AppT,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> AppT:
    """Approve or reject with a reason the applicant sees. Repeating the decision is a no-op."""
    now = _now(now)
    target = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    with transaction.atomic(durable=True):
        application = _locked(application)
        if not can_coordinate(by, application.district):
            raise NotAllowed()
        if application.status == target:
            return application
        if application.status != ApplicationStatus.SUBMITTED:
            raise ApplicationRefused(_("Only applications waiting for screening can be decided."))
        if not approve and not reason.strip():
            raise ApplicationRefused(_("Give the applicant a reason for the decision."))
        if approve:
            _check_approvable(application, now.date())
        application.status = target
        application.decision_reason = reason.strip()
        application.screened_at = now
        application.screened_by = by
        application.save(update_fields=["status", "decision_reason", "screened_at", "screened_by"])
        _event(
            "approved" if approve else "rejected",
            now,
            by,
            application.district,
            **_links(application),
        )
        notices.application_decided(application, now)
    return application


def host_background_check_required() -> bool:
    """The city's setting (HOMESHARE_HOST_BACKGROUND_CHECK, per city slug)."""
    required: dict[str, bool] = getattr(settings, "HOMESHARE_HOST_BACKGROUND_CHECK", {})
    return bool(required.get(settings.CITY_SLUG, required.get("default", False)))


def missing_checks(application: Application) -> list[str]:
    """What is still to be recorded before approval, as sentences (empty: all there).

    Only confirmed checks count; one with concerns or not reached stays on the record.
    """
    confirmed = [
        c.kind
        for c in ScreeningCheck.objects.filter(**_links(application))
        if c.outcome == CheckOutcome.CONFIRMED
    ]
    missing: list[str] = []
    references = confirmed.count(CheckKind.REFERENCE)
    if references < REFERENCES_NEEDED:
        missing.append(
            str(
                _("Record two confirmed references (%(done)s of %(needed)s so far).")
                % {"done": references, "needed": REFERENCES_NEEDED}
            )
        )
    if CheckKind.ID not in confirmed:
        missing.append(str(_("Record a confirmed ID check.")))
    if (
        isinstance(application, HostApplication)
        and host_background_check_required()
        and CheckKind.BACKGROUND not in confirmed
    ):
        missing.append(str(_("This city requires a confirmed background check for hosts.")))
    return missing


def record_check(
    *,
    by: User,
    application: AppT,
    kind: str,
    checked_on: date,
    method: str,
    outcome: str,
    referee_name: str = "",
    referee_relation: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> ScreeningCheck:
    """The coordinator records a reference, ID or background check made before the decision."""
    now = _now(now)
    with transaction.atomic(durable=True):
        application = _locked(application)
        if not can_coordinate(by, application.district):
            raise NotAllowed()
        if application.status != ApplicationStatus.SUBMITTED:
            raise ApplicationRefused(_("Only applications waiting for screening can be changed."))
        if kind == CheckKind.REFERENCE and not referee_name.strip():
            raise ApplicationRefused(_("Give the referee's name."))
        if kind == CheckKind.BACKGROUND and not isinstance(application, HostApplication):
            raise ApplicationRefused(_("Background checks are recorded for hosts."))
        check = ScreeningCheck.objects.create(
            **_links(application),
            kind=kind,
            checked_on=checked_on,
            method=method,
            outcome=outcome,
            referee_name=referee_name.strip() if kind == CheckKind.REFERENCE else "",
            referee_relation=referee_relation.strip() if kind == CheckKind.REFERENCE else "",
            notes=notes.strip(),
            recorded_by=by,
            recorded_at=now,
        )
        _event("check_recorded", now, by, application.district, **_links(application))
    return check


def _check_approvable(application: Application, today: date) -> None:
    if application.interview_on is None:
        raise ApplicationRefused(_("Record the interview before approving."))
    missing = missing_checks(application)
    if missing:
        raise ApplicationRefused(" ".join(missing))
    if isinstance(application, HostApplication):
        if application.home_visit_on is None:
            raise ApplicationRefused(_("Record the home visit before approving a host."))
        if application.age(today) < HostApplication.MIN_AGE:
            raise ApplicationRefused(_("Hosts must be 60 or older."))
    elif isinstance(application, StudentApplication) and not application.enrolment_checked:
        raise ApplicationRefused(_("Check the proof of enrolment before approving a student."))
