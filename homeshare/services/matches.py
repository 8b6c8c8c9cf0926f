"""Matches: the coordinator proposes a shortlisted pair, both sides answer, they meet."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import User

from .. import matching, notices, selectors
from ..access import can_coordinate
from ..exceptions import (
    MatchRefused,
    NotAllowed,
)
from ..models import (
    Answer,
    ApplicationStatus,
    Candidate,
    HostApplication,
    Match,
    MatchStatus,
    StudentApplication,
)
from .common import _event, _now


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
        _event("proposed", now, by, host.district, match=match)
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
        _event(kind, now, by, match.host_application.district, match=match)
        notices.match_answered(match, side, now)
    return match


def record_meeting(
    *, by: User, match: Match, meeting_on: date, notes: str = "", now: datetime | None = None
) -> Match:
    now = _now(now)
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
        _event("meeting_recorded", now, by, match.host_application.district, match=match)
    return match


# --- Agreement -----------------------------------------------------------------------------
