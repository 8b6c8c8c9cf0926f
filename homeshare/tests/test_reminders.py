"""Check-in reminders to the coordinator: once per check-in and step, whatever reruns happen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from homeshare import reminders, tasks
from homeshare.models import CheckInReminder

from .conftest import HOST_ADDRESS, HOST_PHONE_SHAPES

pytestmark = pytest.mark.django_db


def test_first_check_in_reminder_goes_to_the_coordinator_two_days_ahead(
    active_agreement, coordinator, coordinator_elsewhere
):
    first = active_agreement.check_ins.first()
    day = first.due_on - timedelta(days=2)

    sent = tasks.send_check_in_reminders(day.isoformat())

    assert sent == 1
    reminder = CheckInReminder.objects.get()
    assert (reminder.check_in, reminder.step, reminder.status) == (first, "upcoming", "sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert message.extra_headers["Message-ID"] == reminder.message_id
    assert first.due_on.isoformat() in message.subject
    for private in (HOST_ADDRESS, *HOST_PHONE_SHAPES):
        assert private not in message.body


def test_running_twice_sends_each_reminder_once(active_agreement):
    first = active_agreement.check_ins.first()
    day = (first.due_on - timedelta(days=2)).isoformat()

    tasks.send_check_in_reminders(day)
    tasks.send_check_in_reminders(day)

    assert CheckInReminder.objects.count() == 1
    assert len(mail.outbox) == 1


def test_due_day_sends_the_second_step(active_agreement):
    first = active_agreement.check_ins.first()
    tasks.send_check_in_reminders((first.due_on - timedelta(days=2)).isoformat())

    tasks.send_check_in_reminders(first.due_on.isoformat())

    assert sorted(CheckInReminder.objects.values_list("step", flat=True)) == ["due", "upcoming"]
    assert len(mail.outbox) == 2


def test_a_claimed_reminder_is_not_sent_by_a_second_worker(active_agreement):
    first = active_agreement.check_ins.first()
    reminders.create_due_reminders(first.due_on)
    reminder = CheckInReminder.objects.get(step="due")
    now = timezone.now()

    assert reminders.claim(reminder.pk, now) is True
    assert reminders.send_reminder(reminder.pk, now) is False  # the other worker holds it
    assert mail.outbox == []
    # A claim left by a dead worker is taken over after the timeout.
    assert reminders.send_reminder(reminder.pk, now + reminders.CLAIM_TIMEOUT * 2) is True
    assert len(mail.outbox) == 1


def test_done_check_ins_and_ended_agreements_get_no_reminder(active_agreement, coordinator):
    from homeshare import services

    first = active_agreement.check_ins.first()
    services.record_check_in(by=coordinator, check_in=first, done_on=first.due_on)

    tasks.send_check_in_reminders(first.due_on.isoformat())

    assert not CheckInReminder.objects.exists()
    assert mail.outbox == []


def test_delivery_failure_is_retried_then_marked_failed(active_agreement, coordinator, settings):
    settings.EMAIL_BACKEND = "homeshare.tests.test_reminders.BrokenBackend"
    first = active_agreement.check_ins.first()
    reminders.create_due_reminders(first.due_on)
    reminder = CheckInReminder.objects.get(step="due")

    for _ in range(reminders.MAX_ATTEMPTS):
        reminders.send_reminder(reminder.pk)

    reminder.refresh_from_db()
    assert reminder.status == "failed" and reminder.attempts == reminders.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in reminder.last_error


class BrokenBackend:
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")
