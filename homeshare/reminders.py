"""Check-in reminders to the coordinator, safe to run twice.

One CheckInReminder row per (check-in, step), unique in the database, is created before anything
is sent. A worker sends a reminder only after claiming its row with a conditional UPDATE that
exactly one worker can win (pending, or a claim left stale by a worker that died). The one
duplicate window left: the mail server accepted the message and the worker died before marking
the row sent; the row is then reclaimed after CLAIM_TIMEOUT and sent again with the same
Message-ID, so mail clients can drop the copy.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sharing_city.accounts.models import Role, User

from .models import AgreementStatus, CheckIn, CheckInReminder, ReminderStatus

CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Which step is due how many days before the check-in.
STEPS = {CheckInReminder.Step.UPCOMING: 2, CheckInReminder.Step.DUE: 0}


def create_due_reminders(today: date) -> int:
    """Create the rows for every reminder due by today; existing rows are left alone."""
    rows = []
    for step, days_before in STEPS.items():
        check_ins = CheckIn.objects.filter(
            agreement__status=AgreementStatus.ACTIVE,
            done_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=days_before),
        ).exclude(reminders__step=step)
        rows += [CheckInReminder(check_in=c, step=step) for c in check_ins]
    # ignore_conflicts: a concurrent run may have created the same row; the constraint decides.
    CheckInReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def claim(reminder_id: int, now: datetime) -> bool:
    """Take the reminder for this worker; False when another worker has it or it is done."""
    claimable = Q(status=ReminderStatus.PENDING) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    changed = CheckInReminder.objects.filter(claimable, pk=reminder_id).update(
        status=ReminderStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return changed == 1


def send_reminder(reminder_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if not claim(reminder_id, now):
        return False
    reminder = CheckInReminder.objects.select_related(
        "check_in__agreement__match__host_application__district",
        "check_in__agreement__match__host_application__applicant",
        "check_in__agreement__match__student_application__applicant",
    ).get(pk=reminder_id)
    host_app = reminder.check_in.agreement.match.host_application
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, district=host_app.district, is_active=True)
    )
    try:
        if not coordinators:
            raise RuntimeError("no coordinator for the district")
        for coordinator in coordinators:
            _mail(reminder, coordinator).send()
    except Exception as exc:
        failed = reminder.attempts >= MAX_ATTEMPTS
        CheckInReminder.objects.filter(pk=reminder.pk).update(
            status=ReminderStatus.FAILED if failed else ReminderStatus.PENDING,
            last_error=type(exc).__name__ + ": " + str(exc)[:200],
        )
        return False
    CheckInReminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    return True


def _mail(reminder: CheckInReminder, coordinator: User) -> EmailMessage:
    """The reminder names the pair and the date only: no address, phone or birth date."""
    with translation.override(coordinator.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "reminder": reminder,
            "check_in": reminder.check_in,
            "coordinator": coordinator,
            "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
        }
        subject = render_to_string("homeshare/emails/check_in_reminder_subject.txt", context)
        body = render_to_string("homeshare/emails/check_in_reminder.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[coordinator.email],
        headers={"Message-ID": reminder.message_id},
    )


def pending_ids() -> list[int]:
    return list(
        CheckInReminder.objects.filter(
            Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.SENDING)
        ).values_list("pk", flat=True)
    )
