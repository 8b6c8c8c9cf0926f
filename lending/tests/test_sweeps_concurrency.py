"""Each lending sweep run twice at the same moment on PostgreSQL: every notice once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from lending import services, sweeps
from lending.models import Event, Loan
from sharing_city.notifications.models import Notice, NoticeStatus

from .factories import ItemFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def twice_at_once(work):
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(i):
        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.fixture
def loans_due_around_today(drill_title, tool_centre, volunteer, make_member):
    """Twelve borrowers, with due dates from tomorrow to 30 days ago (the real clock: the
    deliveries these sweeps queue run at once, re-checking against today)."""
    today = timezone.localdate()
    loans = []
    for n, late in enumerate([-1, 0, 1, 2, 7, 8, 14, 20, 30, 31, -1, 1]):
        item = ItemFactory(code=f"TC-9{n:03d}", title=drill_title, place=tool_centre)
        day = today - dt.timedelta(days=late + 7)
        loans.append(
            services.check_out(
                item=item,
                member=make_member(f"borrower{n}"),
                by=volunteer,
                now=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
            )
        )
    return loans


@pytest.mark.parametrize(
    ("sweep", "expected"),
    [
        (sweeps.sweep_due_soon, 3),  # due tomorrow (twice) and today
        (sweeps.sweep_overdue, 7),  # +1 (1, 2), +7 (7, 8), +14 (14, 20); 30 and 31 are lost
        (sweeps.sweep_presumed_lost, 2),
        (sweeps.sweep_place_overdue_lists, 1),
        (sweeps.sweep_place_digests, 1),
    ],
)
def test_a_sweep_run_twice_at_once_sends_each_notice_once(
    loans_due_around_today, staff, sweep, expected
):
    results = twice_at_once(sweep)

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == expected
    notices = Notice.objects.all()
    assert notices.filter(status=NoticeStatus.SENT).count() == notices.count()
    assert len(mail.outbox) == notices.count()
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == len(mail.outbox)
    if sweep is sweeps.sweep_presumed_lost:
        assert Loan.objects.filter(outcome="lost").count() == 2
        assert Event.objects.filter(action="lost").count() == 2


@pytest.fixture
def bookings_around_today(drill_title, tool_centre, make_member):
    """A hold left uncollected, one on its last day, and a dated booking starting today."""
    now = timezone.now()
    for n, ready_days_ago in enumerate([5, 2]):
        ItemFactory(code=f"TC-8{n:03d}", title=drill_title, place=tool_centre)
        member = make_member(f"holder{n}")
        hold = services.place_hold(
            member=member,
            title=drill_title,
            place=tool_centre,
            by=member,
            now=now - dt.timedelta(days=ready_days_ago),
        )
        assert hold.status == "ready"
    item = ItemFactory(code="TC-8100", title=drill_title, place=tool_centre)
    member = make_member("dated")
    today = timezone.localdate()
    booking = services.book(
        member=member, by=member, item=item, start=today, end=today, now=now - dt.timedelta(1)
    )
    Notice.objects.all().delete()  # the setup's own ready notices
    mail.outbox.clear()
    return booking


@pytest.mark.parametrize(
    ("sweep", "expected"),
    [
        (sweeps.sweep_expired_bookings, 1),  # the expiry notice of the uncollected hold
        (sweeps.sweep_pickup_reminders, 1),
        (sweeps.sweep_bookings_ready, 3),  # the dated booking, and the two holds unannounced
    ],
)
def test_a_booking_sweep_run_twice_at_once_sends_each_notice_once(
    bookings_around_today, sweep, expected
):
    results = twice_at_once(sweep)

    assert all(isinstance(r, int) for r in results), results
    notices = Notice.objects.all()
    assert notices.count() == expected
    assert notices.exclude(status=NoticeStatus.SENT).count() == 0
    assert len(mail.outbox) == notices.count()
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == len(mail.outbox)
