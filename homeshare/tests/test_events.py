"""Home-share events: at the service's `now`, in the shared shape, kept when their subject goes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from homeshare import services
from homeshare.models import Event

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_events_are_written_at_the_injected_now(accepted, coordinator):
    services.record_meeting(by=coordinator, match=accepted, meeting_on=NOW.date(), now=NOW)

    event = Event.objects.get(action="meeting_recorded")
    assert event.at == NOW
    assert event.who == f"user:{coordinator.pk}"
    assert event.where == f"district:{accepted.host_application.district_id}"
    assert event.subject == f"match:{accepted.pk}"


def test_an_event_outlives_the_application_it_names(host_app):
    services.withdraw_application(by=host_app.applicant, application=host_app, now=NOW)
    event = Event.objects.get(action="withdrawn")
    pk = host_app.pk

    host_app.delete()

    event.refresh_from_db()
    assert event.host_application is None
    assert event.subject == f"host_application:{pk}"
    assert event.at == NOW
