"""Home-share workflows: apply, screen, match, propose, agree, check in, extend, end.

Every public service runs in one durable transaction, locks the rows it changes, refuses bad
states with a named error (nothing changed), treats a harmless repeat as a no-op, and writes an
Event row. Nothing here logs personal data (birth date, address, phone).
"""

from __future__ import annotations

import logging
import time
from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District, User

from . import matching, notices, selectors
from .access import can_coordinate, coordinated_districts
from .exceptions import (
    AgreementRefused,
    ApplicationRefused,
    InvalidInput,
    MatchRefused,
    NotAllowed,
)
from .models import (
    OPEN_MATCH_STATUSES,
    Agreement,
    AgreementStatus,
    Answer,
    Application,
    ApplicationStatus,
    Candidate,
    CheckIn,
    Event,
    Exclusion,
    HostApplication,
    Match,
    MatchingRun,
    MatchStatus,
    RunStatus,
    StudentApplication,
)

log = logging.getLogger(__name__)
AppT = TypeVar("AppT", bound=Application)
# Runs up to this many pairs keep every excluded pair with its reasons for the coordinator;
# bigger runs keep the counts per reason (the matcher still computes every reason).
KEEP_EXCLUSIONS_UP_TO = 10_000
# A run whose worker died this many times (out of memory, say) stays failed for the coordinator.
RUN_MAX_ATTEMPTS = 3


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(kind: str, by: User | None, district: District | None, **links: Any) -> Event:
    detail = links.pop("detail", {})
    return Event.objects.create(kind=kind, actor=by, district=district, detail=detail, **links)


def _links(app: Application) -> dict[str, Any]:
    key = "host_application" if isinstance(app, HostApplication) else "student_application"
    return {key: app}


def _locked(app: AppT) -> AppT:
    return type(app).objects.select_for_update().get(pk=app.pk)  # type: ignore[return-value]


# --- Applications ------------------------------------------------------------------------


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
        _event(kind, by, application.district, **_links(application))
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
        _event("withdrawn", by, application.district, **_links(application))
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
) -> AppT:
    """The coordinator records the interview (and, for hosts, the home visit)."""
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
        _event("screening_recorded", by, application.district, **_links(application))
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
            "approved" if approve else "rejected", by, application.district, **_links(application)
        )
        notices.application_decided(application, now)
    return application


def _check_approvable(application: Application, today: date) -> None:
    if application.interview_on is None:
        raise ApplicationRefused(_("Record the interview before approving."))
    if isinstance(application, HostApplication):
        if application.home_visit_on is None:
            raise ApplicationRefused(_("Record the home visit before approving a host."))
        if application.age(today) < HostApplication.MIN_AGE:
            raise ApplicationRefused(_("Hosts must be 60 or older."))
    elif isinstance(application, StudentApplication) and not application.enrolment_checked:
        raise ApplicationRefused(_("Check the proof of enrolment before approving a student."))


# --- Matching ------------------------------------------------------------------------------


def run_matching(
    *,
    by: User,
    district: District | None,
    term_start: date,
    term_end: date,
    now: datetime | None = None,
) -> MatchingRun:
    """Score every approved, unmatched host and student pair and store the shortlists.

    Nothing is matched: the coordinator proposes from the shortlist. district=None means the
    whole city, which only a city admin coordinates. A city-wide run, or one with more than
    HOMESHARE_MATCHING_ASYNC_PAIRS host x student pairs, is returned `queued` and done by the
    `homeshare.run_matching` task after commit (seconds and a gigabyte at city scale: not a
    web request's work); a smaller one is done here and returned `done`.
    """
    now = _now(now)
    if term_end <= term_start:
        raise MatchRefused(_("The term must end after it starts."))
    if district is None:
        if not by.is_city_admin:
            raise NotAllowed()
    elif not can_coordinate(by, district):
        raise NotAllowed()
    with transaction.atomic(durable=True):
        run = MatchingRun.objects.create(
            district=district, term_start=term_start, term_end=term_end, run_by=by, run_at=now
        )
        _event("matching_requested", by, district, detail={"run": run.pk})
        if (
            district is None
            or _pairs(_run_districts(run)) > settings.HOMESHARE_MATCHING_ASYNC_PAIRS
        ):
            from .tasks import run_matching as task  # tasks import this module

            transaction.on_commit(lambda: task.delay(run.pk))
            return run
        run.status, run.started_at, run.attempts = RunStatus.RUNNING, now, 1
        run.save(update_fields=["status", "started_at", "attempts"])
        _compute_run(run, now)
    return run


def _run_districts(run: MatchingRun) -> models.QuerySet[District]:
    if run.district_id is None:
        return coordinated_districts(run.run_by)
    return District.objects.filter(pk=run.district_id)


def _pairs(districts: models.QuerySet[District]) -> int:
    """An upper bound of the run's size from two counts, without loading anybody."""
    hosts = HostApplication.objects.approved().in_districts(districts).count()
    students = StudentApplication.objects.approved().in_districts(districts).count()
    return hosts * students


def execute_run(*, run_id: int, now: datetime | None = None) -> str:
    """The task's work: claim the queued run, compute it, mark it done (or failed, visibly).

    Returns "done", "failed", "busy" (another worker is on it: look again later) or "skipped"
    (finished already). Safe to run twice or at once: the claim is one conditional UPDATE
    (queued -> running, or a running claim older than the task's hard time limit, whose worker
    died) and exactly one caller changes the row. The shortlists are written in one
    transaction with the `done` mark, so a worker killed mid-run leaves nothing half-written.
    """
    now = _now(now)
    stale = now - run_claim_timeout()
    claimable = models.Q(status=RunStatus.QUEUED) | models.Q(
        status=RunStatus.RUNNING, started_at__lt=stale, attempts__lt=RUN_MAX_ATTEMPTS
    )
    claimed = MatchingRun.objects.filter(claimable, pk=run_id).update(
        status=RunStatus.RUNNING, started_at=now, attempts=models.F("attempts") + 1
    )
    if claimed != 1:
        return _not_claimed(run_id, stale)
    run = MatchingRun.objects.select_related("run_by", "district").get(pk=run_id)
    try:
        _compute_run(run, now)
    except Exception as exc:  # the soft time limit too: the coordinator sees the run failed
        log.exception("matching run %s failed", run_id)
        _fail_run(run_id, now, f"{type(exc).__name__}: {exc}")
        return "failed"
    return "done"


def run_claim_timeout() -> timedelta:
    """Longer than the task's hard time limit, so a live run is never claimed twice."""
    return timedelta(seconds=settings.HOMESHARE_MATCHING_TIME_LIMIT + 60)


def _not_claimed(run_id: int, stale: datetime) -> str:
    dead_every_time = MatchingRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, started_at__lt=stale, attempts__gte=RUN_MAX_ATTEMPTS
    ).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped while matching, on every attempt.",
    )
    if dead_every_time:
        return "failed"
    running = MatchingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists()
    return "busy" if running else "skipped"


def _fail_run(run_id: int, claimed_at: datetime, error: str) -> None:
    MatchingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, started_at=claimed_at).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:300]
    )


def _compute_run(run: MatchingRun, now: datetime) -> None:
    """Score and assign (no lock held), then store the shortlists and mark the run done in one
    transaction, only while this caller's claim (status running, started_at) still stands."""
    started = time.perf_counter()
    districts = _run_districts(run)
    hosts = selectors.hosts_with_free_rooms(districts)
    students = list(selectors.unmatched_students(districts))
    commute = selectors.commute_table()
    on = run.run_at.date()
    host_profiles = [selectors.host_profile(h, free_rooms=free, on=on) for h, free in hosts]
    student_profiles = [selectors.student_profile(s) for s in students]
    term = matching.Term(run.term_start, run.term_end)
    result = matching.run(host_profiles, student_profiles, term, commute)
    with transaction.atomic():
        if (
            not MatchingRun.objects.select_for_update()
            .filter(pk=run.pk, status=RunStatus.RUNNING, started_at=run.started_at)
            .exists()
        ):
            return  # a later claim took the run over; its worker stores the result
        _store_candidates(run, result, hosts, students, host_profiles, student_profiles, commute)
        if len(hosts) * len(students) <= KEEP_EXCLUSIONS_UP_TO:
            _store_exclusions(run, result.scores.mask, hosts, students)
        run.hosts_count, run.students_count = len(hosts), len(students)
        run.total_score = round(result.total, 2)
        run.excluded_by_reason = result.excluded_by_reason
        run.status, run.finished_at, run.error = RunStatus.DONE, timezone.now(), ""
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save()
        _event(
            "matching_run",
            run.run_by,
            run.district,
            detail={"run": run.pk, "hosts": len(hosts), "students": len(students)},
        )


def _store_candidates(  # type: ignore[no-untyped-def]
    run, result, hosts, students, host_profiles, student_profiles, commute
) -> None:
    seen: dict[tuple[int, int], Candidate] = {}
    for shortlist in [*result.shortlist_for_host.values(), *result.shortlist_for_student.values()]:
        for c in shortlist:
            key = (c.host_index, c.student_index)
            if key in seen:
                continue
            seen[key] = Candidate(
                run=run,
                host_application=hosts[c.host_index][0],
                student_application=students[c.student_index],
                score=c.combined,
                host_score=c.host_side,
                student_score=c.student_side,
                suggested=c.assigned,
                reasons=matching.pair_reasons(
                    host_profiles[c.host_index], student_profiles[c.student_index], commute
                ),
            )
    Candidate.objects.bulk_create(seen.values())


def _store_exclusions(run, mask, hosts, students) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for si, hi in zip(*mask.nonzero(), strict=True):
        rows.append(
            Exclusion(
                run=run,
                host_application=hosts[int(hi)][0],
                student_application=students[int(si)],
                reasons=[r.name for r in matching.reasons_of(int(mask[si, hi]))],
            )
        )
    Exclusion.objects.bulk_create(rows)


def propose_match(
    *, by: User, candidate: Candidate, note: str = "", now: datetime | None = None
) -> Match:
    """The coordinator proposes a shortlisted pair to both sides. Proposing twice is a no-op.

    Refused when either side is no longer approved and free, or the pair now breaks a rule.
    Locks the host application first, then the student's (one order everywhere).
    """
    now = _now(now)
    with transaction.atomic(durable=True):
        host = HostApplication.objects.select_for_update().get(pk=candidate.host_application_id)
        student = StudentApplication.objects.select_for_update().get(
            pk=candidate.student_application_id
        )
        if not can_coordinate(by, host.district):
            raise NotAllowed()
        existing = Match.objects.open().filter(host_application=host, student_application=student)
        if existing.exists():
            return existing.get()
        if (
            host.status != ApplicationStatus.APPROVED
            or student.status != ApplicationStatus.APPROVED
        ):
            raise MatchRefused(_("Both applications must still be approved."))
        if Match.objects.open().filter(student_application=student).exists():
            raise MatchRefused(_("The student already has an open proposal or agreement."))
        if Match.objects.open().filter(host_application=host).count() >= host.rooms:
            raise MatchRefused(_("The host has no free room left."))
        run = candidate.run
        reasons = matching.exclusion_reasons(
            selectors.host_profile(host, on=now.date()),
            selectors.student_profile(student),
            matching.Term(run.term_start, run.term_end),
            selectors.commute_table(),
        )
        if reasons:
            raise MatchRefused(_("This pair is now excluded by the programme's rules."))
        try:
            with transaction.atomic():
                match = Match.objects.create(
                    host_application=host,
                    student_application=student,
                    candidate=candidate,
                    score=candidate.score,
                    reasons=candidate.reasons,
                    note_to_both=note,
                    proposed_by=by,
                    proposed_at=now,
                )
        except IntegrityError as exc:  # a concurrent proposal won the student
            raise MatchRefused(_("The student already has an open proposal or agreement.")) from exc
        _event("proposed", by, host.district, match=match)
        notices.match_proposed(match, now)
    return match


def respond_to_match(
    *, by: User, match: Match, accept: bool, reason: str = "", now: datetime | None = None
) -> Match:
    """A side accepts or declines (with a reason). Both accepting opens the address to the
    student; one decline closes the proposal. Giving the same answer again is a no-op."""
    now = _now(now)
    with transaction.atomic(durable=True):
        match = (
            Match.objects.select_for_update()
            .select_related("host_application", "student_application")
            .get(pk=match.pk)
        )
        side = match.side_of(by)
        if side is None:
            raise NotAllowed()
        answer = Answer.ACCEPTED if accept else Answer.DECLINED
        if getattr(match, f"{side}_response") == answer:
            return match
        if match.status != MatchStatus.PROPOSED:
            raise MatchRefused(_("This proposal is no longer open."))
        if not accept and not reason.strip():
            raise MatchRefused(_("Please tell us why, so the coordinator can find a better match."))
        setattr(match, f"{side}_response", answer)
        setattr(match, f"{side}_reason", reason.strip())
        setattr(match, f"{side}_responded_at", now)
        fields = [f"{side}_response", f"{side}_reason", f"{side}_responded_at", "status"]
        if not accept:
            match.status = MatchStatus.DECLINED
            match.closed_at = now
            fields.append("closed_at")
        elif match.both_accepted:
            match.status = MatchStatus.ACCEPTED
        match.save(update_fields=fields)
        kind = f"{side}_{'accepted' if accept else 'declined'}"
        _event(kind, by, match.host_application.district, match=match)
        notices.match_answered(match, side, now)
    return match


def record_meeting(*, by: User, match: Match, meeting_on: date, notes: str = "") -> Match:
    with transaction.atomic(durable=True):
        match = (
            Match.objects.select_for_update().select_related("host_application").get(pk=match.pk)
        )
        if not can_coordinate(by, match.host_application.district):
            raise NotAllowed()
        if match.status != MatchStatus.ACCEPTED:
            raise MatchRefused(_("Both sides must accept before the introduction meeting."))
        match.meeting_on = meeting_on
        match.meeting_notes = notes
        match.save(update_fields=["meeting_on", "meeting_notes"])
        _event("meeting_recorded", by, match.host_application.district, match=match)
    return match


# --- Agreement -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def check_in_dates(start: date, end: date) -> list[date]:
    """Weekly in the first month (the trial is when things go wrong), then monthly."""
    weekly = [start + timedelta(days=7 * week) for week in range(1, 5)]
    monthly = [add_months(start, n) for n in range(2, 1 + 12 * 5)]
    return [day for day in [*weekly, *monthly] if day < end]


def create_agreement(
    *,
    by: User,
    match: Match,
    rent: int,
    help_tasks: list[str],
    help_hours: int,
    start_on: date,
    end_on: date | None = None,
    house_rules: str = "",
    trial_days: int = 30,
    notice_days_trial: int = 7,
    notice_days: int = 30,
) -> Agreement:
    """The coordinator writes the agreement after the introduction meeting; both then confirm."""
    end_on = end_on or add_months(start_on, Agreement.DEFAULT_MONTHS)
    with transaction.atomic(durable=True):
        match = (
            Match.objects.select_for_update().select_related("host_application").get(pk=match.pk)
        )
        if not can_coordinate(by, match.host_application.district):
            raise NotAllowed()
        existing = Agreement.objects.filter(match=match).first()
        if existing is not None:
            return existing
        if match.status != MatchStatus.ACCEPTED or match.meeting_on is None:
            raise AgreementRefused(_("Record the introduction meeting first."))
        if end_on <= start_on:
            raise AgreementRefused(_("The agreement must end after it starts."))
        agreement = Agreement.objects.create(
            match=match,
            rent=rent,
            help_tasks=help_tasks,
            help_hours=help_hours,
            house_rules=house_rules,
            start_on=start_on,
            end_on=end_on,
            trial_days=trial_days,
            notice_days_trial=notice_days_trial,
            notice_days=notice_days,
            created_by=by,
        )
        _event("agreement_created", by, match.host_application.district, match=match)
        notices.agreement_ready(agreement, match, timezone.now())
    return agreement


def confirm_agreement(*, by: User, agreement: Agreement, now: datetime | None = None) -> Agreement:
    """Each side confirms; when both have, the agreement is in force and check-ins are set."""
    now = _now(now)
    with transaction.atomic(durable=True):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        match = (
            Match.objects.select_for_update()
            .select_related("host_application", "student_application")
            .get(pk=agreement.match_id)
        )
        side = match.side_of(by)
        if side is None:
            raise NotAllowed()
        field = f"{side}_confirmed_at"
        if getattr(agreement, field) is not None:
            return agreement
        if agreement.status != AgreementStatus.DRAFT:
            raise AgreementRefused()
        setattr(agreement, field, now)
        fields = [field]
        if agreement.host_confirmed_at and agreement.student_confirmed_at:
            agreement.status = AgreementStatus.ACTIVE
            fields.append("status")
            match.status = MatchStatus.AGREED
            match.save(update_fields=["status"])
            CheckIn.objects.bulk_create(
                CheckIn(agreement=agreement, due_on=day)
                for day in check_in_dates(agreement.start_on, agreement.end_on)
            )
            notices.check_ins_scheduled(agreement, match, now)
        agreement.save(update_fields=fields)
        _event(f"{side}_confirmed", by, match.host_application.district, match=match)
    return agreement


def record_check_in(
    *,
    by: User,
    check_in: CheckIn,
    done_on: date,
    notes: str = "",
    concern: bool = False,
) -> CheckIn:
    with transaction.atomic(durable=True):
        check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        match = check_in.agreement.match
        if not can_coordinate(by, match.host_application.district):
            raise NotAllowed()
        check_in.done_on = done_on
        check_in.done_by = by
        check_in.notes = notes
        check_in.concern = concern
        check_in.save(update_fields=["done_on", "done_by", "notes", "concern"])
        _event(
            "check_in_recorded",
            by,
            match.host_application.district,
            match=match,
            detail={"concern": concern},
        )
    return check_in


def extend_agreement(
    *, by: User, agreement: Agreement, new_end_on: date, reason: str = ""
) -> Agreement:
    """Move the end date later; monthly check-ins continue to the new end."""
    with transaction.atomic(durable=True):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        match = agreement.match
        if not can_coordinate(by, match.host_application.district):
            raise NotAllowed()
        if agreement.end_on == new_end_on:
            return agreement
        if agreement.status != AgreementStatus.ACTIVE or new_end_on <= agreement.end_on:
            raise AgreementRefused(_("Only an agreement in force can be extended to a later date."))
        known = set(agreement.check_ins.values_list("due_on", flat=True))
        CheckIn.objects.bulk_create(
            CheckIn(agreement=agreement, due_on=day)
            for day in check_in_dates(agreement.start_on, new_end_on)
            if day not in known
        )
        agreement.end_on = new_end_on
        agreement.extensions += 1
        agreement.save(update_fields=["end_on", "extensions"])
        notices.check_ins_scheduled(agreement, match, timezone.now())
        _event(
            "extended", by, match.host_application.district, match=match, detail={"reason": reason}
        )
    return agreement


def end_agreement(*, by: User, agreement: Agreement, ended_on: date, reason: str) -> Agreement:
    """End with a reason. The host's room becomes free, so the host can be matched again."""
    with transaction.atomic(durable=True):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        match = Match.objects.select_for_update().get(pk=agreement.match_id)
        if not can_coordinate(by, match.host_application.district):
            raise NotAllowed()
        if agreement.status == AgreementStatus.ENDED:
            return agreement
        if not reason.strip():
            raise AgreementRefused(_("Give a reason for ending the agreement."))
        agreement.status = AgreementStatus.ENDED
        agreement.ended_on = ended_on
        agreement.end_reason = reason.strip()
        agreement.save(update_fields=["status", "ended_on", "end_reason"])
        agreement.check_ins.filter(done_on__isnull=True, due_on__gt=ended_on).delete()
        match.status = MatchStatus.ENDED
        match.closed_at = timezone.now()
        match.save(update_fields=["status", "closed_at"])
        _event("ended", by, match.host_application.district, match=match)
    return agreement


def set_commute_minutes(*, by: User, commute_time: Any, minutes: int) -> Any:
    """Staff correct a commute time; the next matching run uses it."""
    if not (by.is_city_admin or by.role == "staff"):
        raise NotAllowed()
    if not 1 <= minutes <= 300:
        raise InvalidInput(_("Enter minutes between 1 and 300."))
    with transaction.atomic(durable=True):
        commute_time.minutes = minutes
        commute_time.updated_by = by
        commute_time.save(update_fields=["minutes", "updated_by", "updated_at"])
        _event("commute_updated", by, commute_time.district, detail={"id": commute_time.pk})
    return commute_time
