"""Two fixes from issue 13: a refusal over a borrowing limit names the limit and what counts
toward it (Korean and English), and an overdue loan keeps its copy out of "available now" and
"free between dates" until it is returned."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from lending import exceptions, services
from lending.filters import CatalogueFilter
from lending.models import Loan, Title

from .conftest import TODAY
from .factories import CategoryFactory, ItemFactory, RuleFactory, TitleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(11)))


@pytest.fixture
def power_tools():
    """Power tools lend at most 2 per member; drills inherit that, saws have their own rule."""
    power = CategoryFactory(slug="power-tools", name_ko="전동공구", name_en="Power tools")
    RuleFactory(category=power, max_items_per_member=2, max_active_bookings=2)
    drills = CategoryFactory(slug="drills", name_ko="드릴", name_en="Drills", parent=power)
    saws = CategoryFactory(slug="saws", name_ko="톱", name_en="Saws", parent=power)
    RuleFactory(category=saws, max_items_per_member=1)
    return power, drills, saws


def test_a_third_power_tool_is_refused_naming_the_limit_and_what_counts(
    power_tools, tool_centre, resident, volunteer
):
    power, drills, saws = power_tools
    grinder = ItemFactory(title=TitleFactory(category=power), place=tool_centre)
    drill, other_drill = (
        ItemFactory(title=TitleFactory(category=drills), place=tool_centre) for _ in range(2)
    )
    saw = ItemFactory(title=TitleFactory(category=saws), place=tool_centre)
    services.check_out(item=saw, member=resident, by=volunteer, now=NOW)  # its own rule
    services.check_out(item=grinder, member=resident, by=volunteer, now=NOW)
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    with translation.override("en"), pytest.raises(exceptions.LimitReached) as english:
        services.check_out(item=other_drill, member=resident, by=volunteer, now=NOW)
    with translation.override("ko"), pytest.raises(exceptions.LimitReached) as korean:
        services.check_out(item=other_drill, member=resident, by=volunteer, now=NOW)

    assert str(english.value.message).startswith(
        "You already have 2 out from Power tools; the limit is 2."
    )
    assert "Power tools" in str(english.value.message).split(";")[1]  # what counts
    assert str(korean.value.message).startswith(
        "전동공구에서 이미 2개를 빌렸습니다. 한도는 2개입니다."
    )
    assert (english.value.count, english.value.limit) == (2, 2)
    assert Loan.objects.open().count() == 3  # nothing changed
    assert not Loan.objects.filter(item=other_drill).exists()


def test_a_booking_over_the_limit_is_refused_naming_the_limit(power_tools, tool_centre, resident):
    _power, drills, _saws = power_tools
    items = [ItemFactory(title=TitleFactory(category=drills), place=tool_centre) for _ in range(3)]
    for n, item in enumerate(items[:2]):
        day = TODAY + dt.timedelta(days=n * 3 + 1)
        services.book(member=resident, by=resident, item=item, start=day, end=day, now=NOW)

    day = TODAY + dt.timedelta(days=10)
    with translation.override("en"), pytest.raises(exceptions.BookingLimitReached) as english:
        services.book(member=resident, by=resident, item=items[2], start=day, end=day, now=NOW)
    with translation.override("ko"), pytest.raises(exceptions.BookingLimitReached) as korean:
        services.book(member=resident, by=resident, item=items[2], start=day, end=day, now=NOW)

    assert str(english.value.message).startswith(
        "You already have 2 active bookings; the limit is 2."
    )
    assert str(korean.value.message).startswith("이미 예약이 2건 있습니다. 한도는 2건입니다.")
    assert resident.bookings.count() == 2


@pytest.fixture
def overdue_tent(tool_centre, resident, volunteer):
    camping = CategoryFactory(slug="camping", name_ko="캠핑용품", name_en="Camping gear")
    RuleFactory(category=camping, loan_days=7, turnaround_days=1, booking_horizon_days=60)
    tent = ItemFactory(
        title=TitleFactory(category=camping, name_ko="4인용 텐트", name_en="Four-person tent"),
        place=tool_centre,
    )
    services.check_out(item=tent, member=resident, by=volunteer, now=NOW - dt.timedelta(days=20))
    return tent


def titles(**data):
    found = CatalogueFilter(data, queryset=Title.objects.all(), today=TODAY)
    assert found.is_valid(), found.errors
    return {t.name_ko: t for t in found.qs}


def test_an_overdue_tent_is_neither_available_now_nor_free_between_dates(overdue_tent):
    later = (TODAY + dt.timedelta(days=5)).isoformat()

    assert Loan.objects.get(item=overdue_tent).is_overdue(TODAY)
    assert titles(available=True) == {}
    assert titles(start=TODAY.isoformat(), end=later) == {}
    assert titles(start=later) == {}
    assert titles()["4인용 텐트"].available == 0  # listed, with no copy free


def test_a_returned_tent_is_free_again(overdue_tent, volunteer):
    services.check_in(item=overdue_tent, by=volunteer, now=NOW)
    later = (TODAY + dt.timedelta(days=5)).isoformat()

    assert set(titles(start=later)) == {"4인용 텐트"}
