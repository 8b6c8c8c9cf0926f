"""Agreements: written after the meeting, confirmed by both, checked in on, extended, ended."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import User
from sharing_city.core import bounds

from .. import notices
from ..access import can_coordinate
from ..exceptions import (
    AgreementRefused,
    NotAllowed,
)
from ..models import (
    REFERENCE_WINDOW_DAYS,
    Agreement,
    AgreementReference,
    AgreementStatus,
    CheckIn,
    Match,
    MatchStatus,
    Recommendation,
)
from .common import _event, _now


def add_months(day: date, months: int) -> date:
    """Clamped at 9999-12-31: a saved far date must never make a page fail."""
    return bounds.add_months(day, months)


def check_in_dates(start: date, end: date) -> list[date]:
    """Weekly in the first month (the trial is when things go wrong), then monthly."""
    weekly = [bounds.add_days(start, 7 * week) for week in range(1, 5)]
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
    now: datetime | None = None,
) -> Agreement:
    """The coordinator writes the agreement after the introduction meeting; both then confirm."""
    now = _now(now)
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
        _event("agreement_created", now, by, match.host_application.district, match=match)
        notices.agreement_ready(agreement, match, now)
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
        _event(f"{side}_confirmed", now, by, match.host_application.district, match=match)
    return agreement


def record_check_in(
    *,
    by: User,
    check_in: CheckIn,
    done_on: date,
    notes: str = "",
    concern: bool = False,
    now: datetime | None = None,
) -> CheckIn:
    now = _now(now)
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
            now,
            by,
            match.host_application.district,
            match=match,
            data={"concern": concern},
        )
    return check_in


def extend_agreement(
    *,
    by: User,
    agreement: Agreement,
    new_end_on: date,
    reason: str = "",
    now: datetime | None = None,
) -> Agreement:
    """Move the end date later; monthly check-ins continue to the new end."""
    now = _now(now)
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
        notices.check_ins_scheduled(agreement, match, now)
        _event(
            "extended",
            now,
            by,
            match.host_application.district,
            match=match,
            data={"reason": reason},
        )
    return agreement


def end_agreement(
    *, by: User, agreement: Agreement, ended_on: date, reason: str, now: datetime | None = None
) -> Agreement:
    """End with a reason. The host's room becomes free, so the host can be matched again."""
    now = _now(now)
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
        match.closed_at = now
        match.save(update_fields=["status", "closed_at"])
        _event("ended", now, by, match.host_application.district, match=match)
        notices.reference_invited(agreement, match, now)
    return agreement


def reference_open_to(member: User, agreement: Agreement, today: date) -> bool:
    """Is the agreement one `member` may still write about (ended, theirs, in the window)?
    Whether they already wrote is the caller's to know. (For pages: no refusal.)"""
    return (
        agreement.status == AgreementStatus.ENDED
        and agreement.match.side_of(member) is not None
        and agreement.ended_on is not None
        and today <= bounds.add_days(agreement.ended_on, REFERENCE_WINDOW_DAYS)
    )


def leave_reference(
    *, by: User, agreement: Agreement, recommend: str, text: str, now: datetime | None = None
) -> AgreementReference:
    """One side's confidential reference about the other, once the agreement has ended.

    Only coordinators read it; it follows the person it is about into their next screening."""
    now = _now(now)
    text = text.strip()
    with transaction.atomic(durable=True):
        agreement = (
            Agreement.objects.select_for_update()
            .select_related(
                "match__host_application__district",
                "match__host_application__applicant",
                "match__student_application__applicant",
            )
            .get(pk=agreement.pk)
        )
        match = agreement.match
        side = match.side_of(by)
        if side is None:
            raise NotAllowed()
        if agreement.status != AgreementStatus.ENDED or agreement.ended_on is None:
            raise AgreementRefused(_("A reference can be left once the agreement has ended."))
        if timezone.localdate(now) > bounds.add_days(agreement.ended_on, REFERENCE_WINDOW_DAYS):
            raise AgreementRefused(
                _("References can be left up to %(days)s days after the agreement ends.")
                % {"days": REFERENCE_WINDOW_DAYS}
            )
        if not text or len(text) > bounds.REFERENCE_CHARS:
            raise AgreementRefused(
                _("Write your reference (up to %(chars)s characters).")
                % {"chars": f"{bounds.REFERENCE_CHARS:,}"}
            )
        if recommend not in Recommendation.values:
            raise AgreementRefused(_("Say whether you would share a home with them again."))
        if AgreementReference.objects.filter(agreement=agreement, author=by).exists():
            raise AgreementRefused(_("You have already left your reference."))
        other = match.student_application if side == "host" else match.host_application
        reference = AgreementReference.objects.create(
            agreement=agreement,
            author=by,
            about=other.applicant,
            author_side=side,
            recommend=recommend,
            text=text,
            created_at=now,
        )
        _event("reference_left", now, by, match.host_application.district, match=match)
    return reference
