"""The desk's inventory through its FilterSet: by code or title words, by status; an unknown
status is a 400 that says so, shown above the list."""

import pytest
from django.urls import reverse

from lending.models import Item

pytestmark = pytest.mark.django_db


def test_inventory_finds_by_code_or_title_and_narrows_by_status(
    desk_client, tool_centre, drill, second_drill, sander
):
    Item.objects.filter(pk=second_drill.pk).update(status=Item.Status.MAINTENANCE)
    url = reverse("tool_centres:inventory", args=[tool_centre.slug])

    by_code = desk_client.get(url, {"q": "tc-0001"})
    by_title = desk_client.get(url, {"q": "cordless"})
    in_repair = desk_client.get(url, {"q": "cordless", "status": "maintenance"})

    assert [i.code for i in by_code.context["items"]] == ["TC-0001"]
    assert [i.code for i in by_title.context["items"]] == ["TC-0001", "TC-0002"]
    assert [i.code for i in in_repair.context["items"]] == ["TC-0002"]


def test_an_unknown_status_is_refused_with_the_reason(desk_client, tool_centre, drill):
    url = reverse("tool_centres:inventory", args=[tool_centre.slug])

    response = desk_client.get(url, {"status": "on-the-moon"})

    assert response.status_code == 400
    assert response.context["items"] == []
    assert "Select a valid choice" in response.content.decode()
