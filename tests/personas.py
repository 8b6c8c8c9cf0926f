"""The nine personas of the permission matrix and the objects their URLs point at.

Import the fixtures into a test module (`from tests.personas import *`-style explicit imports);
they build on the root conftest's members and the lending app's places and items.
"""

# ruff: noqa: F811 - fixtures imported from the lending app are used as fixture arguments
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lending.models import Booking, Item, Loan, Place, Title
from lending.tests.conftest import (  # noqa: F401 - shared lending fixtures
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
)
from lending.tests.factories import ItemFactory, PlaceFactory, open_every_day

# The order of every row of expected statuses.
PERSONAS = (
    "anonymous",
    "resident",
    "other_resident",
    "volunteer",
    "volunteer_elsewhere",
    "coordinator",
    "staff",
    "staff_elsewhere",
    "city_admin",
)


@dataclass
class World:
    """Who is who, and the objects owned by `resident` in Mapo-gu at `tool_centre`."""

    users: dict[str, Any]
    tool_centre: Place
    other_centre: Place
    closet: Place
    title: Title
    item: Item
    loan: Loan
    booking: Booking

    def client(self, persona: str, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


@pytest.fixture
def world(
    resident,
    other_resident,
    volunteer,
    volunteer_elsewhere,
    coordinator,
    staff,
    staff_elsewhere,
    city_admin,
    tool_centre,
    other_centre,
    drill,
    second_drill,
    mapo,
) -> World:
    from lending.services import check_out

    closet: Place = PlaceFactory.create(
        slug="mapo-closet", name_ko="마포 열린옷장", district=mapo, kind=Place.Kind.CLOSET
    )
    open_every_day(closet)
    now = timezone.now()
    loan = check_out(item=second_drill, member=resident, by=volunteer, now=now)
    booking = Booking.objects.create(
        member=resident,
        title=drill.title,
        item=None,
        place=tool_centre,
        created_at=now,
    )
    ItemFactory(code="TC-0099", title=drill.title, place=other_centre)
    users = {
        "resident": resident,
        "other_resident": other_resident,
        "volunteer": volunteer,
        "volunteer_elsewhere": volunteer_elsewhere,
        "coordinator": coordinator,
        "staff": staff,
        "staff_elsewhere": staff_elsewhere,
        "city_admin": city_admin,
    }
    return World(
        users=users,
        tool_centre=tool_centre,
        other_centre=other_centre,
        closet=closet,
        title=drill.title,
        item=drill,
        loan=loan,
        booking=booking,
    )


def future(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
