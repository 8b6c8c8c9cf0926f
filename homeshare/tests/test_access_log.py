"""A coordinator's review page and the API's application detail show the applicant's address:
each is in the access log; the applicant reading their own application is not."""

import pytest
from django.urls import reverse

from sharing_city.accounts.models import AccessKind, AccessLog

pytestmark = pytest.mark.django_db


def test_access_log_row_for_the_coordinators_review_page(client, make_host, coordinator):
    app = make_host(status="submitted", checks=False)
    client.force_login(coordinator)

    page = client.get(reverse("homeshare:review", args=["host", app.pk]))

    assert page.status_code == 200 and app.address in page.content.decode()
    row = AccessLog.objects.get()
    assert (row.viewer, row.member) == (coordinator, app.applicant)
    assert row.kind == AccessKind.HOMESHARE_APPLICATION
    assert row.object_type == "homeshare.hostapplication" and row.object_id == str(app.pk)


def test_access_log_row_for_the_api_application_detail(client, make_host, coordinator):
    app = make_host(status="submitted", checks=False)
    client.force_login(coordinator)

    response = client.get(reverse("api:homeshare-host-application", args=[app.pk]))

    assert response.status_code == 200 and response.json()["address"] == app.address
    assert AccessLog.objects.get().member == app.applicant


def test_access_log_no_row_for_the_applicants_own_application(client, make_host):
    app = make_host(status="submitted", checks=False)
    client.force_login(app.applicant)

    assert client.get(reverse("homeshare:application", args=["host", app.pk])).status_code == 200
    assert client.get(reverse("api:homeshare-host-application", args=[app.pk])).status_code == 200
    assert not AccessLog.objects.exists()


def test_access_log_no_row_when_refused(client, make_host, coordinator_elsewhere):
    app = make_host(status="submitted", checks=False)
    client.force_login(coordinator_elsewhere)

    assert client.get(reverse("homeshare:review", args=["host", app.pk])).status_code == 403
    assert not AccessLog.objects.exists()
