"""The desk API: same services as the pages; other places' volunteers are refused (403)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lending import services as lending
from lending.models import Event, Item, Loan
from tool_centres.models import RepairTicket

pytestmark = pytest.mark.django_db


def check_out_url(place):
    return reverse("api:tool-centres-check-out", args=[place.slug])


def check_in_url(place):
    return reverse("api:tool-centres-check-in", args=[place.slug])


def test_check_out_reports_each_item(
    api, tool_centre, volunteer, resident, other_resident, drill, second_drill
):
    lending.check_out(item=second_drill, member=other_resident, by=volunteer)

    response = api.post(
        check_out_url(tool_centre),
        {"member_number": resident.member_number, "codes": ["tc-0001", "TC-0002"]},
        format="json",
    )

    assert response.status_code == 200
    lines = response.json()
    assert [(line["code"], line["ok"]) for line in lines] == [("TC-0001", True), ("TC-0002", False)]
    assert lines[1]["error_code"] == "item_on_loan"
    assert Loan.objects.open().get(item=drill).member == resident


def test_check_out_backdated_without_reason_is_refused(api, tool_centre, resident, drill):
    response = api.post(
        check_out_url(tool_centre),
        {
            "member_number": resident.member_number,
            "codes": ["TC-0001"],
            "backdated_to": "2026-11-01T10:00:00+09:00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert not Loan.objects.exists()


def test_unknown_code_is_a_404(api, tool_centre, resident, drill):
    response = api.post(
        check_out_url(tool_centre),
        {"member_number": resident.member_number, "codes": ["NOPE-1"]},
        format="json",
    )

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_code"


def test_check_in_damaged_opens_ticket(api, tool_centre, volunteer, resident, drill):
    lending.check_out(item=drill, member=resident, by=volunteer)

    response = api.post(
        check_in_url(tool_centre), {"code": "TC-0001", "condition": "parts_missing"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "damaged"
    assert RepairTicket.objects.get(pk=body["repair_ticket"]).item == drill
    repairs = api.get(reverse("api:tool-centres-repairs", args=[tool_centre.slug]))
    assert [t["item"] for t in repairs.json()["results"]] == ["TC-0001"]


def test_every_api_call_elsewhere_is_refused_and_changes_nothing(
    volunteer, volunteer_elsewhere, tool_centre, resident, drill, second_drill
):
    lending.check_out(item=second_drill, member=resident, by=volunteer)
    client = APIClient()
    client.force_authenticate(volunteer_elsewhere)
    before = Event.objects.count()

    out = client.post(
        check_out_url(tool_centre),
        {"member_number": resident.member_number, "codes": ["TC-0001"]},
        format="json",
    )
    back = client.post(check_in_url(tool_centre), {"code": "TC-0002"}, format="json")
    repairs = client.get(reverse("api:tool-centres-repairs", args=[tool_centre.slug]))
    places = client.get(reverse("api:tool-centres-places"))

    assert (out.status_code, back.status_code, repairs.status_code) == (403, 403, 403)
    assert [p["slug"] for p in places.json()["results"]] == ["gangnam-tools"]
    assert Loan.objects.open().get(item=second_drill).returned_at is None
    assert not Loan.objects.filter(item=drill).exists()
    assert Event.objects.count() == before


def test_anonymous_is_refused(client, tool_centre):
    response = client.post(check_in_url(tool_centre), {"code": "TC-0001"})
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("n", [1, 20])
def test_repairs_list_query_count_is_flat(
    n, api, tool_centre, volunteer, django_assert_num_queries
):
    from lending.tests.factories import ItemFactory

    for _ in range(n):
        item = ItemFactory(place=tool_centre)
        RepairTicket.objects.create(item=item, place=tool_centre, opened_at=item.created_at)

    with django_assert_num_queries(4):
        response = api.get(reverse("api:tool-centres-repairs", args=[tool_centre.slug]))

    assert len(response.json()["results"]) == n
    assert Item.objects.count() == n
