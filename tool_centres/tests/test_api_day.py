"""The desk API's today lists and a place's opening hours."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lending import services as lending
from lending.models import OpeningHours, PlaceRole
from lending.tests.factories import assign

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_today_lists_the_desks_due_and_overdue_loans_for_its_volunteers_only(
    client, volunteer, volunteer_elsewhere, resident, tool_centre, drill
):
    today = timezone.localdate()
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    lending.check_out(item=drill, member=resident, by=volunteer, now=ten_days_ago)
    url = reverse("api:tool-centres-today", args=[tool_centre.slug])
    client.force_login(volunteer_elsewhere)
    assert client.get(url).status_code == 403
    client.force_login(volunteer)

    body = client.get(url).json()

    assert body["day"] == today.isoformat()
    assert [loan["item"] for loan in body["overdue"]] == [drill.code]
    assert body["due_today"] == []
    assert set(body) >= {"pickups", "repairs", "cleaning", "transfers", "unticketed"}


def test_hours_are_public_and_only_a_lead_changes_them(client, volunteer, make_member, tool_centre):
    lead = make_member("lead", role="volunteer")
    assign(lead, tool_centre, role=PlaceRole.Role.LEAD)
    url = reverse("api:tool-centres-hours", args=[tool_centre.slug])
    before = client.get(url).json()
    period = {"weekday": 6, "opens": "19:00", "closes": "21:00"}
    assert client.post(url, period, content_type=JSON).status_code in (401, 403)
    client.force_login(volunteer)
    assert client.post(url, period, content_type=JSON).status_code == 403
    client.force_login(lead)

    backwards = client.post(url, {**period, "closes": "18:30"}, content_type=JSON)
    added = client.post(url, period, content_type=JSON)

    assert backwards.status_code == 400
    assert added.status_code == 201
    assert len(added.json()) == len(before) + 1
    assert {"weekday": 6, "opens": "19:00", "closes": "21:00"}.items() <= added.json()[-1].items()
    new = OpeningHours.objects.get(place=tool_centre, weekday=6, opens=dt.time(19))
    removed = client.delete(
        reverse("api:tool-centres-hours-period", args=[tool_centre.slug, new.pk])
    )
    assert removed.status_code == 204
    assert client.get(url).json() == before
