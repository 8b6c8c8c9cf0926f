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

from closets.models import FittingSlot, FittingVisit, Programme, Rental
from homeshare.models import (
    Agreement,
    HostApplication,
    Match,
    StudentApplication,
    University,
)
from lending.models import Booking, Item, Loan, OpeningHours, Place, Title
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
    opening_hours: OpeningHours
    visit: FittingVisit
    host_application: HostApplication
    match: Match
    agreement: Agreement
    rental: Rental

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
    # The resident's fitting at the Mapo closet, three days ahead (before the cut-off).
    slot = FittingSlot.objects.create(
        place=closet, starts_at=now + dt.timedelta(days=3), capacity=2, booked=1
    )
    visit = FittingVisit.objects.create(slot=slot, member=resident, created_at=now, changed_at=now)
    # ...and an earlier rental there, out until the day after tomorrow.
    rental = Rental.objects.create(
        member=resident,
        place=closet,
        programme=Programme.objects.create(slug="paid", name_ko="일반 대여"),
        purpose="interview",
        style="men",
        rented_at=now,
        rented_by=staff,
        due_date=now.date() + dt.timedelta(days=2),
    )
    host_application = _host_application(resident, mapo, now)
    match, agreement = _match_and_agreement(host_application, other_resident, coordinator, now)
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
        opening_hours=OpeningHours.objects.filter(place=tool_centre).first()
        or OpeningHours.objects.create(
            place=tool_centre, weekday=0, opens=dt.time(10), closes=dt.time(18)
        ),
        visit=visit,
        host_application=host_application,
        match=match,
        agreement=agreement,
        rental=rental,
    )


def _match_and_agreement(
    host: HostApplication, student: Any, coordinator: Any, now: dt.datetime
) -> tuple[Match, Agreement]:
    """`other_resident` is the student both accepted; the agreement waits for both to confirm."""
    today = now.date()
    university = University.objects.create(
        city="seoul", code="test-university", name_ko="시험대학교", name_en="Test University"
    )
    application = StudentApplication.objects.create(
        applicant=student,
        district=host.district,
        status="approved",
        university=university,
        enrolment_checked=True,
        gender="female",
        budget=300_000,
        help_tasks=["conversation"],
        help_hours=10,
        languages=["ko"],
        available_from=today,
        available_until=today + dt.timedelta(days=365),
        interview_on=today,
    )
    match = Match.objects.create(
        host_application=host,
        student_application=application,
        status="accepted",
        host_response="accepted",
        student_response="accepted",
        proposed_by=coordinator,
        proposed_at=now,
        meeting_on=today,
    )
    agreement = Agreement.objects.create(
        match=match,
        rent=200_000,
        help_tasks=["conversation"],
        help_hours=8,
        start_on=today,
        end_on=today + dt.timedelta(days=180),
        created_by=coordinator,
    )
    return match, agreement


def _host_application(resident: Any, mapo: Any, now: dt.datetime) -> HostApplication:
    """The resident offers a room in Mapo-gu: submitted, waiting for the coordinator."""
    from homeshare.services import save_application

    fields = {
        "district": mapo,
        "birth_date": dt.date(1955, 1, 2),
        "address": "마포구 어딘가 1",
        "contact_phone": "01099990000",
        "rooms": 1,
        "room_size_m2": 10,
        "rent": 200_000,
        "help_tasks": ["conversation"],
        "help_hours": 8,
        "languages": ["ko"],
        "available_from": now.date(),
    }
    return save_application(
        by=resident, application=HostApplication(), fields=fields, submit=True, now=now
    )


def future(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
