"""Staff are reminded of asks unanswered after N working days; twice sends nothing new."""

import datetime as dt

import pytest
from django.utils import timezone

from lending.models import Closure
from sharing_city.notifications.models import Notice
from voice import services, tasks
from voice.reminders import remind_unanswered, working_days_between

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)


def _at(day: dt.date, hour: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_working_days_skip_weekends_and_closures():
    friday = dt.date(2026, 11, 20)
    assert working_days_between(friday, friday + dt.timedelta(days=3), set()) == 1  # Monday
    assert (
        working_days_between(MONDAY, MONDAY + dt.timedelta(days=3), {MONDAY + dt.timedelta(days=1)})
        == 2
    )


def test_staff_reminded_after_three_working_days_once(resident, staff, tool_centre, settings):
    settings.VOICE_REMIND_AFTER_DAYS = 3
    ask = services.create_ask(
        by=resident, kind="item", text="A tent", place=tool_centre, now=_at(MONDAY)
    )
    assert remind_unanswered(now=_at(MONDAY + dt.timedelta(days=2), 8)) == 0  # Wednesday: 2 days
    assert remind_unanswered(now=_at(MONDAY + dt.timedelta(days=3), 8)) == 1  # Thursday: 3 days
    assert remind_unanswered(now=_at(MONDAY + dt.timedelta(days=4), 8)) == 0  # twice: nothing new
    ask.refresh_from_db()
    assert ask.reminded_step == 3
    notices = Notice.objects.filter(kind="voice_unanswered", subject_id=str(ask.pk))
    assert list(notices.values_list("recipient__username", flat=True)) == ["staff"]


def test_a_closure_day_does_not_count(resident, staff, tool_centre, settings):
    settings.VOICE_REMIND_AFTER_DAYS = 3
    Closure.objects.create(place=tool_centre, date=MONDAY + dt.timedelta(days=2), reason="holiday")
    services.create_ask(by=resident, kind="item", text="A tent", place=tool_centre, now=_at(MONDAY))
    assert remind_unanswered(now=_at(MONDAY + dt.timedelta(days=3), 8)) == 0
    assert remind_unanswered(now=_at(MONDAY + dt.timedelta(days=4), 8)) == 1


def test_answered_asks_are_not_reminded_and_the_task_runs(resident, staff, tool_centre):
    ask = services.create_ask(
        by=resident,
        kind="item",
        text="A tent",
        place=tool_centre,
        now=timezone.now() - dt.timedelta(days=30),
    )
    services.answer(ask=ask, by=staff, text="Coming")
    assert tasks.remind_unanswered() == 0
    assert not Notice.objects.filter(kind="voice_unanswered").exists()
