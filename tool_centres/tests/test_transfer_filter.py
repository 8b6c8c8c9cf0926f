"""The desk's transfers list through its FilterSet: by status and by the other place; an
unknown status or place is a 400 with the reason."""

import pytest
from django.urls import reverse

from tool_centres import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(volunteer, drill, other_centre):
    return services.request_transfer(item=drill, to_place=other_centre, by=volunteer)


def test_transfers_filter_by_status_and_destination(
    client, volunteer, tool_centre, other_centre, requested
):
    client.force_login(volunteer)
    url = reverse("tool_centres:transfers", args=[tool_centre.slug])

    waiting = client.get(url, {"status": "requested", "to_place": other_centre.slug})
    arrived = client.get(url, {"status": "arrived"})

    assert waiting.status_code == 200 and waiting.context["transfers"] == [requested]
    assert arrived.status_code == 200 and arrived.context["transfers"] == []


def test_an_unknown_place_or_status_is_refused_with_the_reason(
    client, volunteer, tool_centre, requested
):
    client.force_login(volunteer)
    url = reverse("tool_centres:transfers", args=[tool_centre.slug])

    no_place = client.get(url, {"to_place": "no-such-place"})
    no_status = client.get(url, {"status": "lost-in-space"})

    assert no_place.status_code == 400 and no_place.context["filters"].errors["to_place"]
    assert no_place.context["transfers"] == []
    assert no_status.status_code == 400 and no_status.context["filters"].errors["status"]
