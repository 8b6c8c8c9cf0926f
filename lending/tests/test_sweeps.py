"""Time-travel tests of the lending sweeps: each job and step, in Korean and English.

The clock is the `now` every sweep and delivery takes; a sweep queues deliveries on commit,
and the tests deliver them at the moment they choose (a minute later, a day later).
"""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from lending import services, sweeps
from lending.models import Booking, Event, Item, Loan
from lending.notices import (
    BOOKING_EXPIRED,
    BOOKING_READY,
    DUE_SOON,
    LOST_TO_BORROWER,
    OVERDUE,
    PICKUP_REMINDER,
    PLACE_DIGEST,
    PLACE_OVERDUE_LIST,
    PRESUMED_LOST,
)
from sharing_city.notifications.models import Notice, NoticeStatus
from sharing_city.notifications.services import calendar_feed_of, deliver_notice

from .conftest import TODAY
from .factories import at

pytestmark = pytest.mark.django_db

DRILL_KO, DRILL_EN = "충전식 전동드릴 18V", "Cordless drill 18 V"


def days(n):
    return dt.timedelta(days=n)


@pytest.fixture
def borrower(make_member):
    def make(language="ko", name="minji"):
        return make_member(name, preferred_language=language, full_name="김민지")

    return make


@pytest.fixture
def lend(volunteer):
    """Check an item out on `day` (7-day rule, open every day: due `day` + 7)."""

    def make(item, member, day):
        return services.check_out(item=item, member=member, by=volunteer, now=at(day, 11))

    return make


def deliver_pending(now):
    pending = Notice.objects.filter(status=NoticeStatus.PENDING).order_by("pk")
    return [deliver_notice(pk, now=now) for pk in pending.values_list("pk", flat=True)]


# --- Due soon -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before", "language", "subject"),
    [
        (1, "ko", f"[공유서울] 내일은 {DRILL_KO} 반납일입니다"),
        (0, "ko", f"[공유서울] 오늘은 {DRILL_KO} 반납일입니다"),
        (1, "en", f"[Sharing City] {DRILL_EN} is due back tomorrow"),
        (0, "en", f"[Sharing City] {DRILL_EN} is due back today"),
    ],
)
def test_due_soon_reminder_for_each_step_in_the_members_language(
    drill, borrower, lend, days_before, language, subject, django_capture_on_commit_callbacks
):
    member = borrower(language)
    due = TODAY + days(days_before)
    loan = lend(drill, member, due - days(7))
    assert loan.due_date == due

    with django_capture_on_commit_callbacks() as queued:
        created = sweeps.sweep_due_soon(now=at(TODAY, 9))
    outcomes = deliver_pending(
        at(
            TODAY,
            9,
        )
    )

    assert (created, len(queued), outcomes) == (1, 1, ["sent"])
    [message] = mail.outbox
    assert message.subject == subject
    assert "TC-0001" in message.body
    assert message.to == [member.email]
    notice = Notice.objects.get()
    assert (notice.kind, notice.step) == (DUE_SOON, f"{-days_before:+d}_{due.isoformat()}")
    assert message.extra_headers["Message-ID"] == notice.message_id


def test_due_soon_sweep_twice_sends_each_reminder_once(drill, borrower, lend):
    lend(drill, borrower(), TODAY - days(6))

    first = sweeps.sweep_due_soon(now=at(TODAY, 9))
    second = sweeps.sweep_due_soon(
        now=at(
            TODAY,
            9,
        )
    )
    deliver_pending(at(TODAY, 9))
    deliver_pending(at(TODAY, 9))

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_loan_returned_a_minute_before_the_send(drill, borrower, lend, volunteer):
    lend(drill, borrower(), TODAY - days(6))
    sweeps.sweep_due_soon(now=at(TODAY, 9))
    services.check_in(item=drill, by=volunteer, now=at(TODAY, 9) + dt.timedelta(minutes=1))

    outcomes = deliver_pending(at(TODAY, 9) + dt.timedelta(minutes=2))

    assert outcomes == ["cancelled"]
    assert mail.outbox == []
    assert Notice.objects.get().status == NoticeStatus.CANCELLED


def test_due_soon_leaves_returned_loans_and_other_days_alone(
    drill, second_drill, borrower, lend, volunteer, make_member
):
    lend(drill, borrower(), TODAY - days(6))
    services.check_in(item=drill, by=volunteer, now=at(TODAY - days(1)))
    lend(second_drill, make_member("later"), TODAY - days(3))  # due in four days

    assert sweeps.sweep_due_soon(now=at(TODAY, 9)) == 0


def test_a_renewed_loan_is_reminded_of_its_new_due_date(drill, borrower, lend):
    member = borrower()
    loan = lend(drill, member, TODAY - days(6))
    sweeps.sweep_due_soon(now=at(TODAY, 9))
    services.renew(loan=loan, by=member, now=at(TODAY, 10))
    loan.refresh_from_db()

    outcomes = deliver_pending(
        at(
            TODAY,
            10,
        )
    )
    created = sweeps.sweep_due_soon(now=at(loan.due_date - days(1), 9))

    assert outcomes == ["cancelled"]  # the old "due tomorrow" is no longer true
    assert created == 1
    assert Notice.objects.filter(status="pending").get().step.endswith(loan.due_date.isoformat())


# --- Overdue ------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 7, 14])
@pytest.mark.parametrize(
    ("language", "subject", "lost_warning"),
    [
        ("ko", "[공유서울] {title} 반납 기한이 {n}일 지났습니다", "30일이 지나면 분실로"),
        ("en", "[Sharing City] {title} is {n} day{s} overdue", "30 days after the due date"),
    ],
)
def test_overdue_notice_for_each_step_in_the_members_language(
    drill, borrower, lend, step, language, subject, lost_warning, settings
):
    settings.SITE_URL = "https://share.example"
    member = borrower(language)
    due = TODAY - days(step)
    loan = lend(drill, member, due - days(7))

    created = sweeps.sweep_overdue(now=at(TODAY, 9))
    outcomes = deliver_pending(at(TODAY, 9))

    assert (created, outcomes) == (1, ["sent"])
    [message] = mail.outbox
    title = DRILL_KO if language == "ko" else DRILL_EN
    assert message.subject == subject.format(title=title, n=step, s="" if step == 1 else "s")
    assert (lost_warning in message.body) == (step == 14)
    notice = Notice.objects.get()
    assert (notice.kind, notice.step) == (OVERDUE, f"+{step}_{due.isoformat()}")
    assert notice.message_id == message.extra_headers["Message-ID"]
    assert notice.message_id == (  # built in SQL by the sweep: the format of stable_message_id
        f"<loan-{loan.pk}.loan_overdue.+{step}_{due.isoformat()}.{member.pk}@notices.sharing.city>"
    )
    assert f"https://share.example{reverse('lending:my-loans')}" in message.body


def test_overdue_sweep_makes_up_a_missed_day_and_never_repeats_a_step(drill, borrower, lend):
    lend(drill, borrower(), TODAY - days(10))  # due three days ago; no sweep ran since

    late_by_3 = sweeps.sweep_overdue(now=at(TODAY, 9))
    again = sweeps.sweep_overdue(now=at(TODAY + days(1), 9))
    late_by_7 = sweeps.sweep_overdue(now=at(TODAY + days(4), 9))

    assert (late_by_3, again, late_by_7) == (1, 0, 1)
    steps = sorted(Notice.objects.values_list("step", flat=True))
    assert [s.split("_")[0] for s in steps] == ["+1", "+7"]


def test_no_overdue_notice_for_an_item_returned_a_minute_earlier(drill, borrower, lend, volunteer):
    lend(drill, borrower(), TODAY - days(8))
    sweeps.sweep_overdue(now=at(TODAY, 9))
    services.check_in(item=drill, by=volunteer, now=at(TODAY, 9) + dt.timedelta(minutes=1))

    assert deliver_pending(at(TODAY, 9) + dt.timedelta(minutes=2)) == ["cancelled"]
    assert mail.outbox == []


def test_overdue_sweep_twice_sends_once(drill, second_drill, borrower, lend, make_member):
    lend(drill, borrower(), TODAY - days(8))
    lend(second_drill, make_member("other"), TODAY - days(14))

    assert sweeps.sweep_overdue(now=at(TODAY, 9)) == 2
    assert sweeps.sweep_overdue(now=at(TODAY, 9)) == 0
    deliver_pending(at(TODAY, 9))
    deliver_pending(at(TODAY, 9))
    assert len(mail.outbox) == 2


# --- Presumed lost ------------------------------------------------------------------------


def test_presumed_lost_marks_the_item_missing_and_tells_staff_and_borrower(
    drill, borrower, lend, staff, make_member, gangnam, settings
):
    settings.SITE_URL = "https://share.example/"
    make_member("staff_gangnam", role="staff", district=gangnam)  # another district: not told
    staff.preferred_language = "en"
    staff.save()
    member = borrower()
    loan = lend(drill, member, TODAY - days(37))  # due 30 days ago

    marked = sweeps.sweep_presumed_lost(now=at(TODAY, 6))
    outcomes = deliver_pending(at(TODAY, 8))

    assert (marked, outcomes) == (1, ["sent", "sent"])
    [to_staff] = [message for message in mail.outbox if message.to == [staff.email]]
    assert to_staff.subject == f"[Sharing City] Presumed lost: {DRILL_EN} (TC-0001)"
    assert "김민지" in to_staff.body
    [to_borrower] = [message for message in mail.outbox if message.to == [member.email]]
    assert to_borrower.subject == f"[공유서울] {DRILL_KO}가 분실로 처리되었습니다"
    assert "30일이 지나 분실로 처리" in to_borrower.body
    assert f"https://share.example{reverse('lending:my-loans')}" in to_borrower.body
    loan.refresh_from_db()
    drill.refresh_from_db()
    assert loan.outcome == Loan.Outcome.LOST and loan.returned_at == at(TODAY, 6)
    assert drill.status == Item.Status.MISSING
    assert Event.objects.filter(action="lost", loan=loan, actor=None).count() == 1
    assert sorted(Notice.objects.values_list("kind", "recipient_id")) == [
        (LOST_TO_BORROWER, member.pk),
        (PRESUMED_LOST, staff.pk),
    ]


def test_presumed_lost_twice_and_too_early_changes_nothing(drill, borrower, lend, staff):
    loan = lend(drill, borrower(), TODAY - days(36))  # due 29 days ago: not yet

    assert sweeps.sweep_presumed_lost(now=at(TODAY, 6)) == 0
    assert sweeps.sweep_presumed_lost(now=at(TODAY + days(1), 6)) == 1
    assert sweeps.sweep_presumed_lost(now=at(TODAY + days(1), 6)) == 0

    assert Notice.objects.count() == 2  # staff and borrower, once each
    assert Event.objects.filter(action="lost", loan=loan).count() == 1


# --- Bookings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ko", f"[공유서울] 예약하신 {DRILL_KO}를 받아 가실 수 있습니다"),
        ("en", f"[Sharing City] {DRILL_EN} is ready for pickup"),
    ],
)
def test_a_returned_item_is_announced_to_the_first_in_line(
    drill,
    drill_title,
    tool_centre,
    borrower,
    lend,
    volunteer,
    make_member,
    language,
    subject,
    django_capture_on_commit_callbacks,
):
    lend(drill, make_member("first_borrower"), TODAY - days(3))
    member = borrower(language)
    hold = services.place_hold(
        member=member, title=drill_title, place=tool_centre, by=member, now=at(TODAY - days(1))
    )

    with django_capture_on_commit_callbacks(execute=True):  # the hook, then the delivery
        services.check_in(item=drill, by=volunteer, now=at(TODAY, 10))

    [message] = mail.outbox
    assert message.subject == subject
    notice = Notice.objects.get()
    assert (notice.kind, notice.subject_id, notice.status) == (BOOKING_READY, str(hold.pk), "sent")
    assert sweeps.sweep_bookings_ready(now=at(TODAY, 11)) == 0  # already announced


def test_a_dated_booking_becomes_ready_on_its_day_and_is_announced(drill, borrower):
    member = borrower("en")
    booking = services.book(
        member=member,
        by=member,
        item=drill,
        start=TODAY + days(2),
        end=TODAY + days(3),
        now=at(TODAY),
    )

    before = sweeps.sweep_bookings_ready(now=at(TODAY + days(1), 9))
    on_the_day = sweeps.sweep_bookings_ready(now=at(TODAY + days(2), 9))
    again = sweeps.sweep_bookings_ready(now=at(TODAY + days(2), 10))

    assert (before, on_the_day, again) == (0, 1, 0)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.READY
    assert deliver_pending(at(TODAY + days(2), 9)) == ["sent"]
    assert "Collect it from" not in mail.outbox[0].body  # that is the SMS text
    assert "by Sun 22 Nov" in mail.outbox[0].body


def _ready_hold(title, place, member, day):
    return services.place_hold(member=member, title=title, place=place, by=member, now=at(day))


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ko", f"[공유서울] 오늘까지 {DRILL_KO}를 받아 가세요"),
        ("en", f"[Sharing City] Last day to collect {DRILL_EN}"),
    ],
)
def test_pickup_reminder_on_the_last_day(
    drill, drill_title, tool_centre, borrower, language, subject
):
    hold = _ready_hold(drill_title, tool_centre, borrower(language), TODAY)
    assert hold.status == "ready" and hold.pickup_deadline == TODAY + days(2)
    Notice.objects.all().delete()  # the ready notice is not what this test is about

    assert sweeps.sweep_pickup_reminders(now=at(TODAY + days(1), 9)) == 0
    assert sweeps.sweep_pickup_reminders(now=at(TODAY + days(2), 9)) == 1
    assert sweeps.sweep_pickup_reminders(now=at(TODAY + days(2), 9)) == 0
    assert deliver_pending(at(TODAY + days(2), 9)) == ["sent"]
    assert mail.outbox[0].subject == subject


def test_no_pickup_reminder_once_collected(drill, drill_title, tool_centre, borrower, volunteer):
    member = borrower()
    _ready_hold(drill_title, tool_centre, member, TODAY)
    sweeps.sweep_pickup_reminders(now=at(TODAY + days(2), 9))
    services.check_out(item=drill, member=member, by=volunteer, now=at(TODAY + days(2), 10))

    outcomes = deliver_pending(
        at(
            TODAY + days(2),
            10,
        )
    )

    assert outcomes == ["cancelled"]
    assert Notice.objects.get().kind == PICKUP_REMINDER


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ko", f"[공유서울] {DRILL_KO} 예약이 만료되었습니다"),
        ("en", f"[Sharing City] Your booking of {DRILL_EN} has expired"),
    ],
)
def test_an_uncollected_booking_expires_and_the_next_in_line_is_told(
    drill,
    drill_title,
    tool_centre,
    borrower,
    make_member,
    language,
    subject,
    django_capture_on_commit_callbacks,
):
    first = borrower(language)
    hold = _ready_hold(drill_title, tool_centre, first, TODAY)
    second = make_member("second", preferred_language="ko")
    next_hold = _ready_hold(drill_title, tool_centre, second, TODAY)
    deliver_pending(at(TODAY, 12))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # ready hook, then deliveries
        sweeps.sweep_expired_bookings(now=at(TODAY + days(3), 0))

    hold.refresh_from_db()
    next_hold.refresh_from_db()
    assert (hold.status, next_hold.status) == (Booking.Status.EXPIRED, Booking.Status.READY)
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert by_recipient[first.email] == subject
    assert by_recipient[second.email] == f"[공유서울] 예약하신 {DRILL_KO}를 받아 가실 수 있습니다"
    assert Notice.objects.filter(kind=BOOKING_EXPIRED).count() == 1
    assert sweeps.sweep_expired_bookings(now=at(TODAY + days(3), 1)) == 0


# --- Places -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ko", "[공유서울] 마포 공구도서관 연체 1건 (11월 18일(수요일))"),
        ("en", "[Sharing City] Mapo Tool Library: 1 overdue (Wed 18 Nov)"),
    ],
)
def test_daily_overdue_list_goes_to_the_places_volunteers(
    drill,
    second_drill,
    borrower,
    lend,
    volunteer,
    volunteer_elsewhere,
    make_member,
    language,
    subject,
):
    volunteer.preferred_language = language
    volunteer.save()
    lend(drill, borrower(), TODAY - days(9))
    lend(second_drill, make_member("on_time"), TODAY - days(2))

    created = sweeps.sweep_place_overdue_lists(now=at(TODAY, 7))
    again = sweeps.sweep_place_overdue_lists(now=at(TODAY, 8))
    outcomes = deliver_pending(at(TODAY, 7))

    assert (created, again, outcomes) == (1, 0, ["sent"])
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert message.subject == subject
    assert "TC-0001" in message.body and "TC-0002" not in message.body
    assert Notice.objects.get().kind == PLACE_OVERDUE_LIST


@pytest.mark.parametrize(
    ("language", "heading"), [("ko", "반납 예정 1건"), ("en", "Returns due: 1")]
)
def test_daily_digest_lists_todays_work_and_skips_a_quiet_place(
    drill, borrower, lend, volunteer, volunteer_elsewhere, language, heading
):
    volunteer.preferred_language = language
    volunteer.save()
    lend(drill, borrower(), TODAY - days(7))  # due today

    created = sweeps.sweep_place_digests(now=at(TODAY, 7))
    outcomes = deliver_pending(at(TODAY, 7))

    assert created == 2  # one per place with volunteers
    assert sorted(outcomes) == ["cancelled", "sent"]  # Gangnam has nothing to do today
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert heading in message.body and "TC-0001" in message.body
    assert set(Notice.objects.values_list("kind", flat=True)) == {PLACE_DIGEST}


# --- Calendar feed ------------------------------------------------------------------------


def test_calendar_feed_shows_due_dates_and_pickups(client, drill, second_drill, borrower, lend):
    member = borrower("en")
    loan = lend(drill, member, dt.date.today())
    booking = services.book(
        member=member,
        by=member,
        item=second_drill,
        start=dt.date.today() + days(10),
        end=dt.date.today() + days(11),
    )

    response = client.get(
        reverse("notifications:calendar-feed", args=[calendar_feed_of(member).token])
    )

    assert response.status_code == 200
    events = {
        str(e["summary"]): e.decoded("dtstart")
        for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert events == {
        f"Return: {DRILL_EN}": loan.due_date,
        f"Pick up: {DRILL_EN}": booking.start_date,
    }
