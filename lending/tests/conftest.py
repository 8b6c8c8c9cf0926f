import datetime as dt

import pytest

from lending.models import Place

from .factories import (
    CategoryFactory,
    ItemFactory,
    PlaceFactory,
    RuleFactory,
    TitleFactory,
    assign,
    open_every_day,
)

# A fixed Wednesday keeps due dates and weekdays predictable.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def tool_centre(mapo):
    place = PlaceFactory(
        slug="mapo-tools",
        name_ko="마포 공구도서관",
        name_en="Mapo Tool Library",
        district=mapo,
        kind=Place.Kind.TOOL_CENTRE,
    )
    open_every_day(place)
    return place


@pytest.fixture
def other_centre(gangnam):
    place = PlaceFactory(
        slug="gangnam-tools",
        name_ko="강남 공구도서관",
        name_en="Gangnam Tool Library",
        district=gangnam,
    )
    open_every_day(place)
    return place


@pytest.fixture
def drills():
    category = CategoryFactory(slug="drills", name_ko="드릴", name_en="Drills")
    RuleFactory(
        category=category,
        loan_days=7,
        renewal_limit=1,
        renewal_days=7,
        max_items_per_member=2,
        max_active_bookings=3,
        pickup_window_days=3,
        turnaround_days=1,
        booking_horizon_days=60,
    )
    return category


@pytest.fixture
def drill_title(drills):
    return TitleFactory(
        category=drills, name_ko="충전식 전동드릴 18V", name_en="Cordless drill 18 V"
    )


@pytest.fixture
def drill(drill_title, tool_centre):
    return ItemFactory(code="TC-0001", title=drill_title, place=tool_centre)


@pytest.fixture
def second_drill(drill_title, tool_centre):
    return ItemFactory(code="TC-0002", title=drill_title, place=tool_centre)


@pytest.fixture
def volunteer(make_member, tool_centre):
    user = make_member("volunteer", role="volunteer")
    assign(user, tool_centre)
    return user


@pytest.fixture
def volunteer_elsewhere(make_member, other_centre, gangnam):
    user = make_member("volunteer_elsewhere", role="volunteer", district=gangnam)
    assign(user, other_centre)
    return user
