"""The closet's notices render in both languages; fittings appear in the calendar feed."""

import datetime as dt

import pytest
from django.utils import timezone

from closets import reminders, services, tasks
from sharing_city.notifications.calendar import events_for
from sharing_city.notifications.delivery import render_notice
from sharing_city.notifications.kinds import get_kind
from sharing_city.notifications.models import Notice

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(resident, closet):
    from closets.models import FittingSlot

    slot = FittingSlot.objects.create(
        place=closet, starts_at=local(timezone.localdate() + dt.timedelta(days=1), 10)
    )
    return services.book_fitting(member=resident, slot=slot, by=resident)


@pytest.mark.parametrize(
    "language,words,place", [("ko", "피팅", "마포 열린옷장"), ("en", "fitting", "Mapo Open Closet")]
)
def test_fitting_reminder_renders_in_the_members_language(booked, language, words, place):
    reminders.sweep_fitting_reminders(now=booked.slot.starts_at - dt.timedelta(hours=20))
    notice = Notice.objects.filter(kind="closet_fitting_reminder").first()
    notice.language = language

    rendered = render_notice(notice, get_kind(notice.kind), timezone.now())

    assert words in rendered.body.lower() and place in rendered.body
    assert "/closet/" in rendered.body


def test_a_cancelled_fitting_is_not_reminded(booked, resident):
    reminders.sweep_fitting_reminders(now=booked.slot.starts_at - dt.timedelta(hours=20))
    notice = Notice.objects.filter(kind="closet_fitting_reminder").first()
    services.cancel_fitting(
        visit=booked, by=resident, now=booked.slot.starts_at - dt.timedelta(hours=20)
    )

    assert get_kind(notice.kind).still_due(notice, timezone.now()) is False


def test_booked_fittings_are_in_the_calendar_feed(booked, resident):
    events = [e for e in events_for(resident, today=timezone.localdate()) if "closet" in e.uid]

    assert [e.uid for e in events] == [f"closet-visit-{booked.pk}@sharing.city"]
    assert events[0].start == booked.slot.starts_at


def test_the_beat_tasks_run_the_sweeps(booked):
    assert tasks.send_fitting_reminders() >= 0
    assert tasks.send_follow_ups() == 0
