"""What applicants hear, through sharing_city.notifications (one notice per subject/kind/step).

- homeshare_decided: the application was approved or rejected (step = the decision; the
  rejection carries the coordinator's reason).
- homeshare_proposed: a match was proposed to you. The student learns the district, the room
  and the host's own description; never the address or phone (DOMAIN: only after both accept).
- homeshare_answered: the other side accepted or declined (step = "<side>_<answer>").
- homeshare_agreement_ready: the coordinator wrote the agreement; please confirm it.
- homeshare_check_ins: check-ins were scheduled (step = the agreement's extension count, so an
  extension's new dates are announced once more).
- homeshare_reference_invited: the agreement ended; each side may leave a private reference
  about the other for the coordinators (not sent once they have left it).

Texts are per-language templates in templates/homeshare/notices/ (`*.ko.txt` Korean, `*.txt`
English), rendered in the member's language. Every kind re-checks at send time that it is
still true, and its context is read fresh then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sharing_city.notifications.kinds import NoticeKind, register
from sharing_city.notifications.models import Notice
from sharing_city.notifications.services import notify

from .models import (
    Agreement,
    AgreementStatus,
    Answer,
    Application,
    HostApplication,
    Match,
    MatchStatus,
    StudentApplication,
)

SUBJECT_HOST = "homeshare.hostapplication"
SUBJECT_STUDENT = "homeshare.studentapplication"
SUBJECT_MATCH = "homeshare.match"
SUBJECT_AGREEMENT = "homeshare.agreement"
_APPLICATIONS = {SUBJECT_HOST: HostApplication, SUBJECT_STUDENT: StudentApplication}


# --- Senders (called inside the services' transactions) ---------------------------------


def application_decided(application: Application, now: datetime) -> None:
    subject = SUBJECT_HOST if isinstance(application, HostApplication) else SUBJECT_STUDENT
    notify(
        recipient=application.applicant,
        subject_type=subject,
        subject_id=application.pk,
        kind="homeshare_decided",
        step=application.status,
        context={"reason": application.decision_reason},
        now=now,
    )


def match_proposed(match: Match, now: datetime) -> None:
    for app in (match.host_application, match.student_application):
        notify(
            recipient=app.applicant,
            subject_type=SUBJECT_MATCH,
            subject_id=match.pk,
            kind="homeshare_proposed",
            now=now,
        )


def match_answered(match: Match, side: str, now: datetime) -> None:
    """Tell the other side what this side answered (not the reason: that is for the coordinator)."""
    other = match.student_application if side == "host" else match.host_application
    notify(
        recipient=other.applicant,
        subject_type=SUBJECT_MATCH,
        subject_id=match.pk,
        kind="homeshare_answered",
        step=f"{side}_{getattr(match, f'{side}_response')}",
        now=now,
    )


def agreement_ready(agreement: Agreement, match: Match, now: datetime) -> None:
    for app in (match.host_application, match.student_application):
        notify(
            recipient=app.applicant,
            subject_type=SUBJECT_AGREEMENT,
            subject_id=agreement.pk,
            kind="homeshare_agreement_ready",
            now=now,
        )


def check_ins_scheduled(agreement: Agreement, match: Match, now: datetime) -> None:
    for app in (match.host_application, match.student_application):
        notify(
            recipient=app.applicant,
            subject_type=SUBJECT_AGREEMENT,
            subject_id=agreement.pk,
            kind="homeshare_check_ins",
            step=agreement.extensions,
            now=now,
        )


def reference_invited(agreement: Agreement, match: Match, now: datetime) -> None:
    for app in (match.host_application, match.student_application):
        notify(
            recipient=app.applicant,
            subject_type=SUBJECT_AGREEMENT,
            subject_id=agreement.pk,
            kind="homeshare_reference_invited",
            now=now,
        )


# --- Send-time re-checks and context ------------------------------------------------------


def _application(notice: Notice) -> HostApplication | StudentApplication | None:
    model = _APPLICATIONS.get(notice.subject_type)
    return model.objects.filter(pk=notice.subject_id).first() if model else None


def _decision_still_true(notice: Notice, now: datetime) -> bool:
    app = _application(notice)
    return app is not None and app.status == notice.step


def _application_link(notice: Notice) -> str:
    kind = "host" if notice.subject_type == SUBJECT_HOST else "student"
    return reverse("homeshare:application", kwargs={"kind": kind, "pk": notice.subject_id})


def _match(notice: Notice) -> Match | None:
    return (
        Match.objects.select_related(
            "host_application__district", "student_application__university"
        )
        .filter(pk=notice.subject_id)
        .first()
    )


def _proposal_still_open(notice: Notice, now: datetime) -> bool:
    match = _match(notice)
    return match is not None and match.status == MatchStatus.PROPOSED


def _proposal_context(notice: Notice, now: datetime) -> dict[str, Any]:
    """Only what a side may know before both accept: never the host's address or phone."""
    match = _match(notice)
    if match is None:
        return {}
    host, student = match.host_application, match.student_application
    if match.side_of(notice.recipient) == "student":
        return {
            "for_student": True,
            "district": host.district.display_name,
            "room_size_m2": host.room_size_m2,
            "furnished": host.furnished,
            "own_bathroom": host.own_bathroom,
            "rent": host.rent,
            "about": host.about,
        }
    return {
        "for_student": False,
        "university": student.university.display_name,
        "help_hours": student.help_hours,
        "about": student.about,
    }


def _answer_context(notice: Notice, now: datetime) -> dict[str, Any]:
    side, _sep, answer = notice.step.partition("_")
    return {"by_host": side == "host", "accepted": answer == Answer.ACCEPTED}


def _match_link(notice: Notice) -> str:
    return reverse("homeshare:match", kwargs={"pk": notice.subject_id})


def _agreement(notice: Notice) -> Agreement | None:
    return Agreement.objects.select_related("match").filter(pk=notice.subject_id).first()


def _agreement_waits_for_recipient(notice: Notice, now: datetime) -> bool:
    agreement = _agreement(notice)
    if agreement is None or agreement.status != AgreementStatus.DRAFT:
        return False
    side = agreement.match.side_of(notice.recipient)
    return side is not None and getattr(agreement, f"{side}_confirmed_at") is None


def _agreement_link(notice: Notice) -> str:
    agreement = _agreement(notice)
    pk = agreement.match_id if agreement else 0
    return reverse("homeshare:match", kwargs={"pk": pk})


def _agreement_context(notice: Notice, now: datetime) -> dict[str, Any]:
    agreement = _agreement(notice)
    if agreement is None:
        return {}
    upcoming = agreement.check_ins.filter(done_on__isnull=True, due_on__gte=now.date())
    return {
        "agreement": agreement,
        "check_in_days": [c.due_on for c in upcoming[:6]],
    }


def _agreement_in_force(notice: Notice, now: datetime) -> bool:
    return Agreement.objects.filter(pk=notice.subject_id, status=AgreementStatus.ACTIVE).exists()


KINDS = [
    NoticeKind(
        name="homeshare_decided",
        label=_("Home-share application decided"),
        template_prefix="homeshare/notices/decided",
        still_due=_decision_still_true,
        link=_application_link,
    ),
    NoticeKind(
        name="homeshare_proposed",
        label=_("Home-share match proposed"),
        template_prefix="homeshare/notices/proposed",
        still_due=_proposal_still_open,
        link=_match_link,
        extra_context=_proposal_context,
    ),
    NoticeKind(
        name="homeshare_answered",
        label=_("Home-share: the other side answered"),
        template_prefix="homeshare/notices/answered",
        link=_match_link,
        extra_context=_answer_context,
    ),
    NoticeKind(
        name="homeshare_agreement_ready",
        label=_("Home-share agreement to confirm"),
        template_prefix="homeshare/notices/agreement_ready",
        still_due=_agreement_waits_for_recipient,
        link=_agreement_link,
        extra_context=_agreement_context,
    ),
    NoticeKind(
        name="homeshare_check_ins",
        label=_("Home-share check-ins scheduled"),
        template_prefix="homeshare/notices/check_ins",
        still_due=_agreement_in_force,
        link=_agreement_link,
        extra_context=_agreement_context,
    ),
]


def _reference_still_open(notice: Notice, now: datetime) -> bool:
    from .models import AgreementReference

    agreement = _agreement(notice)
    return (
        agreement is not None
        and agreement.status == AgreementStatus.ENDED
        and not AgreementReference.objects.filter(
            agreement=agreement, author=notice.recipient
        ).exists()
    )


KINDS.append(
    NoticeKind(
        name="homeshare_reference_invited",
        label=_("Home-share: leave a reference"),
        template_prefix="homeshare/notices/reference_invited",
        still_due=_reference_still_open,
        link=_agreement_link,
    )
)
for _kind in KINDS:
    register(_kind)
