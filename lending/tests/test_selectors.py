"""Selectors agree with the services and stay within a fixed number of queries."""

import datetime as dt

import pytest

from lending import selectors, services
from lending.models import Loan

from .conftest import TODAY
from .factories import ItemFactory, TitleFactory, at

pytestmark = pytest.mark.django_db
NOW = at(TODAY)


def test_renewal_refusals_agree_with_renewal_refusal_for_every_reason(
    drill_title,
    drills,
    tool_centre,
    resident,
    other_resident,
    make_member,
    volunteer,
    django_assert_max_num_queries,
):
    def copy():
        return ItemFactory(title=TitleFactory(category=drills), place=tool_centre)

    drills.rules.update(max_items_per_member=10)
    late = make_member("late")
    fine = services.check_out(item=copy(), member=resident, by=volunteer, now=NOW)
    renewed = services.check_out(item=copy(), member=other_resident, by=volunteer, now=NOW)
    services.renew(loan=renewed, by=other_resident, now=NOW)
    overdue = services.check_out(
        item=copy(), member=late, by=volunteer, now=at(TODAY - dt.timedelta(days=20))
    )
    blocked = services.check_out(
        item=copy(), member=late, by=volunteer, now=NOW, override_block=True, reason="test"
    )
    waited = services.check_out(
        item=ItemFactory(title=drill_title, place=tool_centre),
        member=resident,
        by=volunteer,
        now=NOW,
    )
    services.place_hold(
        member=other_resident, title=drill_title, place=tool_centre, by=other_resident, now=NOW
    )
    booked_item = copy()
    booked = services.check_out(item=booked_item, member=other_resident, by=volunteer, now=NOW)
    start = booked.due_date + dt.timedelta(days=3)
    services.book(member=resident, by=resident, item=booked_item, start=start, end=start, now=NOW)
    returned = services.check_out(item=copy(), member=resident, by=volunteer, now=NOW)
    services.check_in(item=returned.item, by=volunteer, now=NOW)

    loans = list(Loan.objects.select_related("item__title", "place").order_by("pk"))
    with django_assert_max_num_queries(6):
        refusals = selectors.renewal_refusals(loans, TODAY)

    def code(refusal):
        return None if refusal is None else refusal.code

    expected = {loan.pk: code(services.renewal_refusal(loan, today=TODAY)) for loan in loans}
    assert {pk: code(r) for pk, r in refusals.items()} == expected
    assert expected == {
        fine.pk: None,
        renewed.pk: "renewal_limit_reached",
        overdue.pk: "renewal_overdue",
        blocked.pk: "renewal_member_blocked",
        waited.pk: "renewal_someone_waits",
        booked.pk: "renewal_someone_waits",
        returned.pk: "renewal_closed",
    }


def test_category_with_descendants_walks_the_whole_subtree(drills):
    from .factories import CategoryFactory

    root = CategoryFactory(slug="tools")
    middle = CategoryFactory(slug="power-tools", parent=root)
    drills.parent = middle
    drills.save()
    CategoryFactory(slug="books")

    assert set(selectors.category_with_descendants(root)) == {root.pk, middle.pk, drills.pk}


def test_haversine_between_mapo_and_gangnam_is_about_twelve_km():
    assert 10 < selectors.haversine_km((37.5663, 126.9019), (37.5172, 127.0473)) < 15
