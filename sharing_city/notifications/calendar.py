"""Private iCalendar feeds. Higher layers register providers of events (lending: due dates and
pickups; closets: fittings); this module knows none of them, as the layers require."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sharing_city.accounts.models import User


@dataclass(frozen=True)
class CalendarEvent:
    """`uid` must be stable (e.g. "loan-12-due@sharing.city") so calendar apps update the
    event instead of adding a copy. A `date` start is an all-day event."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    # When the phone reminds: before the start. None = the default below; () = no reminder.
    alarms: tuple[timedelta, ...] | None = None


# Reminders in the feed (VALARM), so a subscribed phone reminds without our notices: an all-day
# date (a return, a pickup) at 09:00 the day before; an appointment (a fitting) an hour before
# and a day before.
ALL_DAY_ALARMS = (timedelta(hours=15),)
TIMED_ALARMS = (timedelta(hours=1), timedelta(days=1))


# A provider gives a member's events between two dates (inclusive start, exclusive end).
Provider = Callable[[User, date, date], Iterable[CalendarEvent]]
_providers: dict[str, Provider] = {}

PAST_DAYS = 30
FUTURE_DAYS = 366


def register_provider(name: str, provider: Provider) -> None:
    _providers[name] = provider


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)


def events_for(member: User, *, today: date) -> list[CalendarEvent]:
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    events: list[CalendarEvent] = []
    for name in sorted(_providers):
        events.extend(_providers[name](member, start, end))
    return events


def build_feed(member: User, *, now: datetime | None = None) -> bytes:
    """The member's feed as iCalendar bytes, in the member's language."""
    now = now or timezone.now()
    with translation.override(member.preferred_language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Sharing City//Notices//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Sharing City: my loans and bookings"))
        for event in events_for(member, today=timezone.localdate(now)):
            calendar.add_component(_vevent(event, now))
    return calendar.to_ical()


def event_file(events: Iterable[CalendarEvent], *, now: datetime) -> bytes:
    """A small iCalendar file (METHOD:PUBLISH) of the given events, to attach to an email;
    the events' stable uids let a calendar app update them instead of adding copies."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sharing City//Notices//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_vevent(event, now))
    return calendar.to_ical()


def _vevent(event: CalendarEvent, now: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now)
    vevent.add("summary", event.summary)
    vevent.add("dtstart", event.start)
    end = event.end
    if end is None:
        all_day = not isinstance(event.start, datetime)
        end = event.start + (timedelta(days=1) if all_day else timedelta(minutes=30))
    vevent.add("dtend", end)
    for key, value in (("description", event.description), ("location", event.location)):
        if value:
            vevent.add(key, value)
    if event.url:
        vevent.add("url", event.url)
    all_day = not isinstance(event.start, datetime)
    alarms = (
        event.alarms if event.alarms is not None else (ALL_DAY_ALARMS if all_day else TIMED_ALARMS)
    )
    for before in alarms:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", -before)  # relative to the start
        vevent.add_component(alarm)
    return vevent
