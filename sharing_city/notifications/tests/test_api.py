"""The notices API: my notices, my channels, my calendar link; staff's failed notices."""

import pytest
from django.urls import reverse

from sharing_city.notifications.models import CalendarFeed, Notice, NoticeStatus

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_my_notices_are_only_my_own(client, resident, other_resident, remind):
    [mine] = remind(resident)
    remind(other_resident, place="Gangnam")
    url = reverse("api:notifications-notices")
    assert client.get(url).status_code in (401, 403)
    client.force_login(resident)

    body = client.get(url).json()

    assert [n["id"] for n in body["results"]] == [mine.pk]


def test_channels_read_and_saved_through_the_service(client, resident):
    client.force_login(resident)
    url = reverse("api:notifications-channels")
    assert client.get(url).json() == {"email": True, "sms": False}

    none = client.put(url, {"email": False, "sms": False}, content_type=JSON)
    resident.phone = ""
    resident.save()
    no_phone = client.put(url, {"email": True, "sms": True}, content_type=JSON)
    saved = client.put(url, {"email": True, "sms": False}, content_type=JSON)

    assert none.status_code == 400 and none.json()["code"] == "no_channel"
    assert no_phone.status_code == 400
    assert saved.json() == {"email": True, "sms": False}


def test_calendar_link_and_its_renewal_ends_the_old_one(client, resident):
    client.force_login(resident)
    url = reverse("api:notifications-calendar")

    first = client.get(url).json()
    renewed = client.post(url).json()

    assert first["url"].endswith(f"/calendar/{first['token']}.ics")
    assert renewed["token"] != first["token"]
    assert CalendarFeed.objects.get(member=resident).token == renewed["token"]
    assert client.get(first["url"]).status_code == 404


def test_failed_notices_and_retry_are_for_staff_of_the_district(
    client, resident, staff, staff_elsewhere, remind
):
    [notice] = remind(resident)
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.FAILED, attempts=5)
    retry = reverse("api:notifications-retry", args=[notice.pk])
    client.force_login(resident)
    assert client.get(reverse("api:notifications-failed")).status_code == 403
    assert client.post(retry).status_code == 403
    client.force_login(staff_elsewhere)
    assert client.post(retry).status_code == 404
    client.force_login(staff)

    listed = client.get(reverse("api:notifications-failed")).json()
    retried = client.post(retry)

    assert [n["id"] for n in listed["results"]] == [notice.pk]
    assert retried.json()["status"] == "pending"
