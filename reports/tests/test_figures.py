"""Each lending figure, computed again here day by day over the raw rows, must match the report.

The expectations walk every date of the range and ask "was this loan out / this item in the
collection on that date?", a different route from the report's interval arithmetic.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lending import services
from lending.models import Booking, Event, Item, Loan
from lending.tests.factories import at
from reports.figures import Scope, category_ids_under, lending_figures

from .conftest import TODAY, seoul

pytestmark = pytest.mark.django_db

LOCAL = timezone.localdate


def dates(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def loans_in(scope):
    loans = Loan.objects.select_related("item__title", "place")
    if scope.district_id:
        loans = [x for x in loans if x.place.district_id == scope.district_id]
    if scope.place_id:
        loans = [x for x in loans if x.place_id == scope.place_id]
    if scope.category_id:
        under = category_ids_under(scope.category_id)
        loans = [x for x in loans if x.item.title.category_id in under]
    return list(loans)


def items_in(scope):
    items = list(Item.objects.select_related("title", "place"))
    if scope.district_id:
        items = [i for i in items if i.place.district_id == scope.district_id]
    if scope.place_id:
        items = [i for i in items if i.place_id == scope.place_id]
    if scope.category_id:
        under = category_ids_under(scope.category_id)
        items = [i for i in items if i.title.category_id in under]
    return items


def on_loan(loan, day, today):
    out = LOCAL(loan.checked_out_at)
    if day < out or day > today:
        return False
    if loan.returned_at is None:
        return True
    back = LOCAL(loan.returned_at)
    return day < back or day == out


def collection_window(item):
    """The first day the item was in the collection, and the day it left (None: still in)."""
    added = item.acquired_on or LOCAL(item.created_at)
    first = Loan.objects.filter(item=item).order_by("checked_out_at").first()
    if first is not None:
        added = min(added, LOCAL(first.checked_out_at))
    left = None
    if item.status in ("retired", "missing"):
        left = LOCAL(Event.objects.filter(item=item, action="status").latest("at").at)
    return added, left


def in_collection(window, day, today):
    added, left = window
    if day < added or day > today:
        return False
    return left is None or day < left


def expected(scope, today):
    loans = loans_in(scope)
    counted = [x for x in loans if scope.start <= LOCAL(x.checked_out_at) <= scope.end]
    returned = [x for x in counted if x.returned_at]
    items = items_in(scope)
    days = list(dates(scope.start, scope.end))
    late = [
        x
        for x in counted
        if (LOCAL(x.returned_at) > x.due_date if x.returned_at else today > x.due_date)
    ]
    return {
        "loans": len(counted),
        "borrowers": len({x.member_id for x in counted}),
        "renewals": sum(x.renewals for x in counted),
        "overdue": len(late),
        "loan_days": sum(on_loan(x, d, today) for x in loans for d in days),
        "item_days": sum(
            in_collection(window, d, today)
            for window in map(collection_window, items)
            for d in days
        ),
        "returned_days": sum(
            (LOCAL(x.returned_at) - LOCAL(x.checked_out_at)).days for x in returned
        ),
        "returned": len(returned),
        "items_available": len([i for i in items if i.status not in ("retired", "missing")]),
        "never_borrowed": len(
            [
                i
                for i in items
                if i.status not in ("retired", "missing")
                and not any(x.item_id == i.pk for x in counted)
            ]
        ),
        "repairs": len(
            [
                x
                for x in loans
                if x.returned_at
                and x.return_condition in ("needs_repair", "damaged", "parts_missing")
                and scope.start <= LOCAL(x.returned_at) <= scope.end
            ]
        ),
    }


def actual(figures):
    return {key: getattr(figures, key) for key in expected(Scope(TODAY, TODAY), TODAY)}


SCOPES = {
    "city, 3 months": lambda c, mapo: Scope(TODAY - dt.timedelta(days=90), TODAY),
    "district, range ends in the past": lambda c, mapo: Scope(
        TODAY - dt.timedelta(days=120), TODAY - dt.timedelta(days=40), district_id=mapo.pk
    ),
    "one place": lambda c, mapo: Scope(
        TODAY - dt.timedelta(days=60), TODAY, place_id=c["places"][1].pk
    ),
    "category with its sub-category": lambda c, mapo: Scope(
        TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=10), category_id=c["tools"].pk
    ),
    "one day": lambda c, mapo: Scope(TODAY - dt.timedelta(days=33), TODAY - dt.timedelta(days=33)),
}


@pytest.mark.parametrize("name", SCOPES)
def test_figures_match_a_day_by_day_count_over_the_rows(city, mapo, now, name):
    scope = SCOPES[name](city, mapo)

    figures = lending_figures(scope, now=now)

    assert figures.loans > 0 or name == "one day"
    assert actual(figures) == expected(scope, TODAY)


def test_breakdowns_add_up_to_the_totals(city, mapo, now):
    scope = Scope(TODAY - dt.timedelta(days=150), TODAY, district_id=mapo.pk)

    figures = lending_figures(scope, now=now)

    for rows in (figures.places, figures.categories):
        assert sum(r.loans for r in rows) == figures.loans
        assert sum(r.loan_days for r in rows) == figures.loan_days
        assert sum(r.item_days for r in rows) == figures.item_days
    assert sum(r.loans for r in figures.months) == figures.loans
    assert figures.months[0].label == scope.start.strftime("%Y-%m")
    for row in figures.places:
        place_scope = Scope(scope.start, scope.end, place_id=row.key)
        assert row.borrowers == expected(place_scope, TODAY)["borrowers"]


def test_the_moved_item_keeps_its_loans_at_the_old_place(city, now):
    moved = city["items"][0]
    old_place = city["places"][0]
    scope = Scope(TODAY - dt.timedelta(days=200), TODAY, place_id=old_place.pk)

    figures = lending_figures(scope, now=now)

    loans_there = Loan.objects.filter(place=old_place, item=moved).count()
    assert loans_there > 0
    assert figures.loans == expected(scope, TODAY)["loans"]
    assert moved.pk not in [i.pk for i in items_in(scope)]


def test_a_check_out_just_after_midnight_in_seoul_counts_on_the_seoul_date(
    tool_centre, drill, volunteer, resident, now
):
    services.check_out(
        item=drill,
        member=resident,
        by=volunteer,
        now=at(TODAY),
        backdated_to=seoul(TODAY - dt.timedelta(days=3), 0, 10),  # 15:10 UTC the day before
        reason="Paper slip from the evening desk",
    )
    day = TODAY - dt.timedelta(days=3)

    on_the_day = lending_figures(Scope(day, day), now=now)
    day_before = lending_figures(
        Scope(day - dt.timedelta(days=1), day - dt.timedelta(days=1)), now=now
    )

    assert (on_the_day.loans, day_before.loans) == (1, 0)


def test_a_loan_spanning_the_range_start_with_a_backdated_return_and_a_renewal(
    tool_centre, drill, volunteer, resident, now
):
    start = TODAY - dt.timedelta(days=10)
    Item.objects.filter(pk=drill.pk).update(acquired_on=TODAY - dt.timedelta(days=60))
    loan = services.check_out(
        item=drill, member=resident, by=volunteer, now=at(start - dt.timedelta(days=3))
    )
    services.renew(loan=loan, by=volunteer, now=at(start - dt.timedelta(days=1)))
    services.check_in(
        item=drill,
        by=volunteer,
        now=at(TODAY),
        backdated_to=at(start + dt.timedelta(days=4)),
        reason="Returned to the box on Friday",
    )

    figures = lending_figures(Scope(start, TODAY), now=now)
    before = lending_figures(
        Scope(start - dt.timedelta(days=5), start - dt.timedelta(days=1)), now=now
    )

    # Out from start-3 to the day before start+4: 4 of those days fall in the range.
    assert (figures.loans, figures.loan_days, figures.renewals) == (0, 4, 0)
    assert (before.loans, before.renewals, before.borrowers) == (1, 1, 1)
    assert before.average_loan_days == 7
    assert figures.item_days == 11


def test_impact_uses_the_nearest_factor_and_the_replacement_value(city, city_admin, now):
    services.set_impact_factor(
        category=city["tools"], by=city_admin, basis="share", money_share="0.1", co2_kg="2"
    )
    services.set_impact_factor(
        category=city["books"], by=city_admin, basis="fixed", money_fixed=5000
    )
    scope = Scope(TODAY - dt.timedelta(days=100), TODAY)

    figures = lending_figures(scope, now=now)

    counted = [x for x in loans_in(scope) if scope.start <= LOCAL(x.checked_out_at) <= scope.end]
    money = sum(
        Decimal(5000)
        if x.item.title.category.slug == "r-books"
        else x.item.title.replacement_value / 10
        for x in counted
    )
    co2 = sum(Decimal(2) for x in counted if x.item.title.category.slug != "r-books")
    assert figures.money_saved == money
    assert figures.co2_kg == co2


def test_new_members_and_uncollected_bookings(mapo, gangnam, make_member, tool_centre, drill, now):
    joined = make_member("newcomer")
    get_user_model().objects.filter(pk=joined.pk).update(date_joined=seoul(TODAY, 0, 5))
    make_member("elsewhere", district=gangnam)
    Booking.objects.create(
        member=joined,
        title=drill.title,
        item=drill,
        place=tool_centre,
        status="expired",
        created_at=at(TODAY - dt.timedelta(days=5)),
        closed_at=seoul(TODAY, 0, 1),
    )
    Booking.objects.create(
        member=joined,
        title=drill.title,
        place=tool_centre,
        status="cancelled",
        created_at=at(TODAY - dt.timedelta(days=5)),
        closed_at=at(TODAY),
    )

    figures = lending_figures(Scope(TODAY, TODAY, district_id=mapo.pk), now=now)

    assert (figures.new_members, figures.bookings_not_collected) == (1, 1)


def test_borrowers_per_category_and_month_count_each_member_once(city, mapo, now):
    scope = Scope(TODAY - dt.timedelta(days=150), TODAY, district_id=mapo.pk)

    figures = lending_figures(scope, now=now)

    counted = [x for x in loans_in(scope) if scope.start <= LOCAL(x.checked_out_at) <= scope.end]
    assert figures.borrowers == len({x.member_id for x in counted})
    for row in figures.categories:
        in_category = [x for x in counted if x.item.title.category_id == row.key]
        assert row.borrowers == len({x.member_id for x in in_category})
    for row in figures.months:
        in_month = [x for x in counted if LOCAL(x.checked_out_at).replace(day=1) == row.key]
        assert row.borrowers == len({x.member_id for x in in_month})


def test_a_district_without_places_has_no_lending_figures(city, districts, now):
    empty = districts.exclude(places__isnull=False).first()
    scope = Scope(TODAY - dt.timedelta(days=150), TODAY, district_id=empty.pk)

    figures = lending_figures(scope, now=now)

    assert (figures.loans, figures.borrowers, figures.loan_days, figures.item_days) == (0, 0, 0, 0)
    assert figures.places == [] and figures.top_titles == [] and figures.never_borrowed == 0
    assert len(figures.months) == 6 and all(m.loans == 0 for m in figures.months)


def test_top_titles_are_the_most_borrowed_ties_by_title(city, mapo, now):
    scope = Scope(TODAY - dt.timedelta(days=150), TODAY, district_id=mapo.pk)

    figures = lending_figures(scope, now=now)

    counted = [x for x in loans_in(scope) if scope.start <= LOCAL(x.checked_out_at) <= scope.end]
    per_title: dict = {}
    for x in counted:
        per_title[x.item.title] = per_title.get(x.item.title, 0) + 1
    ranked = sorted(per_title.items(), key=lambda pair: (-pair[1], pair[0].pk))[:10]
    assert figures.top_titles == [(title.name, n) for title, n in ranked]
