"""Closet garments are lent only through the closet's fitting flow: the general lending API
and the hold queue refuse them with the reason, and nothing is booked."""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import pytest
from django.urls import reverse

from lending.models import Booking
from lending.tests.factories import ItemFactory
from tests.personas import (  # noqa: F401 - fixtures
    World,
    drill,
    drill_title,
    drills,
    future,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def garment(world: World):
    return ItemFactory(code="J-0001", title=world.title, place=world.closet)


def test_booking_a_closet_garment_through_the_api_is_refused(world: World, garment) -> None:
    client = world.client("resident")
    before = Booking.objects.count()
    body = {
        "title": garment.title_id,
        "item": garment.code,
        "start": future(2).isoformat(),
        "end": future(3).isoformat(),
    }

    response = client.post(reverse("api:lending-book"), body, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["code"] == "closet_fitting_only"
    assert Booking.objects.count() == before


def test_holding_a_title_at_a_closet_is_refused(world: World, garment) -> None:
    client = world.client("resident")
    before = Booking.objects.count()
    body = {"title": garment.title_id, "place": world.closet.slug}

    response = client.post(reverse("api:lending-join-queue"), body, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["code"] == "closet_fitting_only"
    assert Booking.objects.count() == before
