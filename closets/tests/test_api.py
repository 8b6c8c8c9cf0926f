"""The closet API: garments list (same queries for 1 and 20), suggestions, booking a fitting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closets.models import FittingSlot, FittingVisit, RenterProfile, Suit

from .conftest import local

pytestmark = pytest.mark.django_db


def test_garments_list_filters_and_costs_the_same_queries_for_1_and_20(
    client, closet, make_garment, django_assert_num_queries
):
    url = reverse("api:closets-garments-list") + f"?place={closet.slug}&kind=jacket"
    make_garment("jacket", bust=96)
    make_garment("tie")
    with django_assert_num_queries(3):  # the closet named in ?place=, count, page
        first = client.get(url)
    for _ in range(19):
        make_garment("jacket", bust=96)
    with django_assert_num_queries(3):
        response = client.get(url)

    assert first.json()["count"] == 1
    assert response.json()["count"] == 20
    assert response.json()["results"][0]["measurements"] == {"bust": 96}


def test_garments_list_refuses_an_unknown_closet_with_the_reason(client, closet, make_garment):
    make_garment("jacket")

    response = client.get(reverse("api:closets-garments-list") + "?place=no-such-closet")

    assert response.status_code == 400
    assert response.json()["detail"] == {"place": ["이 이름의 옷장이 없습니다."]}  # Korean first


def test_garments_list_refuses_a_place_that_is_not_a_closet(client, mapo):
    from lending.models import Place
    from lending.tests.factories import PlaceFactory

    tools = PlaceFactory(slug="mapo-tools", district=mapo, kind=Place.Kind.TOOL_CENTRE)

    response = client.get(reverse("api:closets-garments-list") + f"?place={tools.slug}")

    assert response.status_code == 400


def test_suggestions_need_a_login_and_use_the_saved_measurements(
    client, resident, closet, make_garment
):
    url = reverse("api:closets-suggestions") + f"?place={closet.slug}"
    assert client.get(url).status_code in (401, 403)
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        bust=96,
        arm=60,
        waist=82,
        interview_date=timezone.localdate() + dt.timedelta(days=2),
    )
    jacket = make_garment("jacket", bust=97, arm=60)
    trousers = make_garment("trousers", waist=83)
    Suit.objects.create(jacket=jacket, bottom=trousers)
    client.force_login(resident)

    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["suits"][0]["garments"] == [jacket.code, trousers.code]
    assert body["suits"][0]["error"] == 2


def test_booking_a_fitting_by_api_and_a_full_slot_is_a_409(
    client, resident, other_resident, closet
):
    slot = FittingSlot.objects.create(
        place=closet, starts_at=local(timezone.localdate() + dt.timedelta(days=2), 10), capacity=1
    )
    url = reverse("api:closets-book-fitting")
    client.force_login(resident)
    created = client.post(url, {"slot": slot.pk}, content_type="application/json")
    client.force_login(other_resident)
    refused = client.post(url, {"slot": slot.pk}, content_type="application/json")
    bad = client.post(url, {"slot": "x"}, content_type="application/json")

    assert created.status_code == 201 and created.json()["state"] == "booked"
    assert refused.status_code == 409 and refused.json()["code"] == "slot_full"
    assert bad.status_code == 400
    assert FittingVisit.objects.get().member == resident
