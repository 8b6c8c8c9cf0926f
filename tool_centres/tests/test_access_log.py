"""The desk's member panel shows a member's name and phone: each showing is in the access log."""

import pytest
from django.urls import reverse

from sharing_city.accounts.models import AccessKind, AccessLog

pytestmark = pytest.mark.django_db


def test_access_log_row_when_the_desk_shows_a_member(desk_client, tool_centre, volunteer, resident):
    desk_client.post(
        reverse("tool_centres:scan", args=[tool_centre.slug]), {"code": resident.member_number}
    )

    page = desk_client.get(reverse("tool_centres:desk", args=[tool_centre.slug]))

    assert page.status_code == 200 and resident.full_name in page.content.decode()
    row = AccessLog.objects.get()
    assert (row.viewer, row.member, row.kind) == (volunteer, resident, AccessKind.DESK_MEMBER)
    assert row.where == tool_centre.name_ko and row.object_id == str(tool_centre.pk)


def test_access_log_no_row_for_the_empty_desk(desk_client, tool_centre):
    assert desk_client.get(reverse("tool_centres:desk", args=[tool_centre.slug])).status_code == 200
    assert not AccessLog.objects.exists()
