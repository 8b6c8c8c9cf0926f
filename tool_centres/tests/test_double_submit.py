"""The desk's check-out button pressed twice (a double tap on a slow connection) lends the
basket once and both taps end on the receipt."""

import re

import pytest
from django.urls import reverse

from lending.models import Event, Loan

pytestmark = pytest.mark.django_db


def url(name, place):
    return reverse(f"tool_centres:{name}", args=[place.slug])


def test_checking_out_twice_from_one_page_lends_once(
    desk_client, tool_centre, resident, drill, second_drill
):
    for code in (resident.member_number, drill.code, second_drill.code):
        desk_client.post(url("scan", tool_centre), {"code": code})
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    form = re.search(r'<form[^>]*id="checkout-form".*?</form>', page, re.S).group(0)
    token = re.search(r'name="once" value="([0-9a-f]{32})"', form).group(1)

    first = desk_client.post(url("check-out", tool_centre), {"once": token})
    second = desk_client.post(url("check-out", tool_centre), {"once": token})

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Loan.objects.open().filter(member=resident).count() == 2
    assert Event.objects.filter(action=Event.Action.CHECK_OUT).count() == 2
    assert "2 items lent" in desk_client.get(url("desk", tool_centre)).content.decode()
