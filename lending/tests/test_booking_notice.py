"""Booking sends a confirmation: one notice row per channel the member chose, an email with
the pickup place, its hours and an .ics of the pickup and the return, an SMS in short."""

import datetime as dt

import icalendar
import pytest
from django.core import mail

from lending import services
from lending.notices import BOOKING_CONFIRMED
from sharing_city.notifications.models import Notice, NoticePreference
from sharing_city.notifications.services import deliver_notice

from .conftest import TODAY
from .factories import at

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 11, 19), dt.date(2026, 11, 20)


def book(member, item):
    return services.book(member=member, by=member, item=item, start=START, end=END, now=at(TODAY))


def test_booking_creates_one_confirmation_notice_and_emails_it_with_an_ics(
    drill, resident, django_capture_on_commit_callbacks
):
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):  # the hook, then the delivery
        booking = book(resident, drill)

    notice = Notice.objects.get(kind=BOOKING_CONFIRMED)
    assert (notice.subject_type, notice.subject_id, notice.channel, notice.status) == (
        "booking",
        str(booking.pk),
        "email",
        "sent",
    )
    [message] = mail.outbox
    assert message.subject == "[Sharing City] Your booking of Cordless drill 18 V is confirmed"
    assert "Mapo Tool Library" in message.body
    assert "Opening hours: Mon–Sun 10:00–18:00" in message.body
    assert "Pick up: Thu 19 Nov 2026" in message.body and "Return: Fri 20 Nov 2026" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == f"booking-{booking.pk}.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [e.decoded("dtstart") for e in events] == [START, END]
    assert str(events[0]["summary"]) == "Pick up: Cordless drill 18 V"
    assert "Mapo Tool Library" in str(events[0]["location"])
    assert "10:00–18:00" in str(events[0]["description"])


def test_confirmation_is_in_korean_and_by_sms_too_when_the_member_chose_both(
    drill, resident, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.SMS_FILE_PATH = tmp_path
    NoticePreference.objects.create(member=resident, email=True, sms=True)

    with django_capture_on_commit_callbacks(execute=True):
        book(resident, drill)

    notices = Notice.objects.filter(kind=BOOKING_CONFIRMED).order_by("channel")
    assert [(n.channel, n.status) for n in notices] == [("email", "sent"), ("sms", "sent")]
    [message] = mail.outbox
    assert message.subject == "[공유서울] 충전식 전동드릴 18V 예약이 확정되었습니다"
    assert (
        "받을 곳: 마포 공구도서관" in message.body
        and "운영 시간: 월–일 10:00–18:00" in message.body
    )
    assert len(message.attachments) == 1
    sms = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8")
    assert "충전식 전동드릴 18V 예약 확정" in sms and "마포 공구도서관에서 수령" in sms


def test_confirmation_is_made_once_and_cancelled_when_the_booking_is_cancelled_first(
    drill, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        booking = book(resident, drill)
    for callback in queued:  # the hook twice: still one row
        callback()
        callback()
    notice = Notice.objects.get(kind=BOOKING_CONFIRMED)
    services.cancel_booking(booking=booking, by=resident)

    assert deliver_notice(notice.pk) == "cancelled"
    assert mail.outbox == []


def test_a_refused_booking_sends_nothing(
    drill, tool_centre, resident, django_capture_on_commit_callbacks
):
    from lending.exceptions import PlaceClosed
    from lending.models import Closure

    Closure.objects.create(place=tool_centre, date=START, reason="x")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PlaceClosed):
        book(resident, drill)

    assert not Notice.objects.exists() and mail.outbox == []
