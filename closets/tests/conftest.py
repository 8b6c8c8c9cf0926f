import datetime as dt

import pytest
from django.utils import timezone

from closets.models import FittingSlot, Garment, Programme
from closets.services import add_garment
from lending.models import Category, LendingRule, Place
from lending.tests.conftest import other_centre, volunteer_elsewhere  # noqa: F401
from lending.tests.factories import PlaceFactory, assign, at, open_every_day

# A fixed Wednesday keeps due dates and weekdays predictable.
TODAY = dt.date(2026, 11, 18)
NOW = at(TODAY, 9)


@pytest.fixture
def clothing(db):
    root = Category.objects.create(
        slug="interview-clothing", name_ko="면접 의류", name_en="Interview clothing"
    )
    LendingRule.objects.create(
        category=root,
        loan_days=3,  # 3 nights / 4 days
        renewal_limit=3,
        renewal_days=4,
        max_items_per_member=6,
        turnaround_days=2,
    )
    return root


@pytest.fixture
def closet(mapo, clothing):
    place = PlaceFactory(
        slug="mapo-closet",
        name_ko="마포 열린옷장",
        name_en="Mapo Open Closet",
        kind=Place.Kind.CLOSET,
        district=mapo,
    )
    open_every_day(place)
    return place


@pytest.fixture
def other_closet(gangnam, clothing):
    place = PlaceFactory(
        slug="gangnam-closet", name_ko="강남 열린옷장", kind=Place.Kind.CLOSET, district=gangnam
    )
    open_every_day(place)
    return place


@pytest.fixture
def closet_volunteer(make_member, closet):
    user = make_member("closet_volunteer", role="volunteer")
    assign(user, closet)
    return user


@pytest.fixture
def make_garment(closet, closet_volunteer):
    counter = iter(range(1, 10_000))

    def make(kind="jacket", colour="navy", style="men", place=None, by=None, **sizes):
        n = next(counter)
        return add_garment(
            place=place or closet,
            code=f"{Garment.LETTERS[kind]}-{n:04d}",
            kind=kind,
            colour=colour,
            style=style,
            by=by or closet_volunteer,
            now=NOW,
            **sizes,
        )

    return make


@pytest.fixture
def free_programme(db):
    return Programme.objects.create(
        slug="city-free",
        name_ko="취업날개",
        min_age=18,
        max_age=34,
        residence_city="seoul",
        yearly_quota=2,
    )


@pytest.fixture
def paid_programme(db):
    return Programme.objects.create(
        slug="paid",
        name_ko="일반 대여",
        rental_price=30000,
        extension_fee_percent=20,
        late_fee_percent=30,
    )


@pytest.fixture
def make_slot(closet):
    def make(starts_at=None, capacity=2, place=None):
        return FittingSlot.objects.create(
            place=place or closet,
            starts_at=starts_at or at(TODAY + dt.timedelta(days=2), 10),
            capacity=capacity,
        )

    return make


@pytest.fixture
def slot(make_slot):
    return make_slot()


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
