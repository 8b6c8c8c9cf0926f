"""The closet desk's visit page shows the renter's measurements and proofs (birth date):
each showing is in the access log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closets import services
from closets.models import RenterProfile
from sharing_city.accounts.models import AccessKind, AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(resident, make_slot):
    today = timezone.localdate()
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=today + dt.timedelta(days=8),
    )
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10)))
    return services.book_fitting(member=resident, slot=make_slot(starts_at=start), by=resident)


def test_access_log_row_for_the_closet_visit_page(
    client, closet, closet_volunteer, visit, resident
):
    client.force_login(closet_volunteer)

    page = client.get(reverse("closets:desk-visit", args=[visit.pk]))

    assert page.status_code == 200
    row = AccessLog.objects.get()
    assert (row.viewer, row.member, row.kind) == (
        closet_volunteer,
        resident,
        AccessKind.CLOSET_VISIT,
    )
    assert row.where == closet.name_ko and row.object_type == "closets.fittingvisit"


def test_access_log_no_row_when_someone_else_is_refused(client, visit, other_resident):
    client.force_login(other_resident)

    assert client.get(reverse("closets:desk-visit", args=[visit.pk])).status_code == 403
    assert not AccessLog.objects.exists()
