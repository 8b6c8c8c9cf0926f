import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from closets.tests.conftest import (  # noqa: F401 - shared closet fixtures
    closet,
    closet_volunteer,
    clothing,
    make_garment,
    paid_programme,
)
from homeshare.tests.conftest import commute, make_host, make_student, today  # noqa: F401
from lending.models import Event, Item, Loan
from lending.tests.conftest import (  # noqa: F401 - shared lending fixtures
    TODAY,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
)
from lending.tests.factories import CategoryFactory, ItemFactory, PlaceFactory, TitleFactory

SEOUL = dt.timezone(dt.timedelta(hours=9))


def seoul(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


@pytest.fixture
def city(mapo, gangnam, tool_centre, other_centre, make_member):  # noqa: F811
    """Generated lending history: 3 places (2 in Mapo), 2 categories, 14 items (one moved, one
    retired), 12 members, ~150 loans with times near midnight, renewals, late and open loans."""
    rng = random.Random(8)
    library = PlaceFactory(slug="mapo-books", district=mapo, kind="apartment_library")
    tools = CategoryFactory(slug="r-tools", name_ko="공구", name_en="Tools")
    drills_cat = CategoryFactory(
        slug="r-drills", name_ko="드릴류", name_en="Drill kinds", parent=tools
    )
    books = CategoryFactory(slug="r-books", name_ko="책", name_en="Books")
    titles = [
        TitleFactory(category=drills_cat, replacement_value=Decimal(90000)),
        TitleFactory(category=tools, replacement_value=Decimal(40000)),
        TitleFactory(category=books, replacement_value=Decimal(15000)),
    ]
    places = [tool_centre, library, other_centre]
    items = []
    for n in range(14):
        items.append(
            ItemFactory(
                code=f"RP-{n:04d}",
                title=titles[n % 3],
                place=places[n % 3],
                acquired_on=TODAY - dt.timedelta(days=rng.randint(20, 200)),
            )
        )
    members = [make_member(f"m{n}", district=mapo if n % 2 else gangnam) for n in range(12)]
    for n, item in enumerate(items):
        # items[1] is retired 30 days ago: its history stops before that.
        stop = TODAY - dt.timedelta(days=31) if n == 1 else TODAY
        day = TODAY - dt.timedelta(days=190)
        while True:
            day += dt.timedelta(days=rng.randint(0, 12))
            out = seoul(day, rng.choice([0, 9, 15, 23]), rng.choice([0, 30, 59]))
            if day >= stop:
                break
            length = rng.randint(0, 20)
            back_day = min(day + dt.timedelta(days=length), stop)
            is_open = back_day >= TODAY
            back = None if is_open else max(out, seoul(back_day, rng.choice([0, 10, 23]), 5))
            Loan.objects.create(
                item=item,
                member=rng.choice(members),
                place=item.place,
                checked_out_at=out,
                due_date=day + dt.timedelta(days=7),
                renewals=rng.randint(0, 2),
                returned_at=back,
                return_condition="" if is_open else rng.choice(["ok", "ok", "needs_repair"]),
                outcome="" if is_open else "returned",
            )
            if is_open:
                break
            day = back_day
    # An item moved from Mapo to Gangnam after its loans, and one retired 30 days ago.
    moved = items[0]
    Item.objects.filter(pk=moved.pk).update(place=other_centre)
    retired = items[1]
    Item.objects.filter(pk=retired.pk).update(status="retired")
    Event.objects.create(
        action="status",
        at=seoul(TODAY - dt.timedelta(days=30), 9),
        who="system",
        place=retired.place,
        item=retired,
        data={"from": "active", "to": "retired"},
    )
    return {"places": places, "members": members, "items": items, "tools": tools, "books": books}


@pytest.fixture
def now():
    return timezone.make_aware(dt.datetime.combine(TODAY, dt.time(15)))
