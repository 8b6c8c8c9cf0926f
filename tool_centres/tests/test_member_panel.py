"""The member panel: today's pickups when the card is scanned, one action (or Enter in the
empty scan field) to check them all out, and each basket line's block shown at scan time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lending import services as lending
from lending.models import Booking, Event, LendingRule, Loan
from tool_centres import services

pytestmark = pytest.mark.django_db


def url(name, place, *args):
    return reverse(f"tool_centres:{name}", args=[place.slug, *args])


def scan(client, place, code):
    return client.post(url("scan", place), {"code": code})


def desk_page(client, place):
    return client.get(url("desk", place)).content.decode()


@pytest.fixture
def booked_today(resident, drill):
    today = timezone.localdate()
    return lending.book(
        member=resident, by=resident, item=drill, start=today, end=today + dt.timedelta(days=3)
    )


def test_card_shows_the_booking_that_starts_today(desk_client, tool_centre, resident, booked_today):
    scan(desk_client, tool_centre, resident.member_number)

    page = desk_page(desk_client, tool_centre)
    assert "Nothing to collect today" not in page
    assert "To collect here today" in page and "TC-0001" in page
    assert "Check out 1 pickup" in page
    # The same booking is on Today.
    assert "TC-0001" in desk_client.get(url("today", tool_centre)).content.decode()


def test_enter_in_the_empty_scan_field_checks_out_the_pickups(
    desk_client, tool_centre, resident, booked_today
):
    scan(desk_client, tool_centre, resident.member_number)

    response = scan(desk_client, tool_centre, "")

    assert response.status_code == 302
    assert "1 item lent" in desk_page(desk_client, tool_centre)
    loan = Loan.objects.get(member=resident)
    assert loan.item.code == "TC-0001" and loan.booking_id == booked_today.pk
    booked_today.refresh_from_db()
    assert booked_today.status == Booking.Status.COLLECTED
    assert Event.objects.filter(action=Event.Action.CHECK_OUT, loan=loan).count() == 1


def test_the_check_out_button_with_an_empty_basket_lends_the_pickups(
    desk_client, tool_centre, resident, booked_today
):
    scan(desk_client, tool_centre, resident.member_number)

    desk_client.post(url("check-out", tool_centre), {})

    assert Loan.objects.open().filter(member=resident).count() == 1


def test_ready_hold_is_a_pickup(desk_client, tool_centre, resident, drill_title, drill):
    hold = lending.place_hold(member=resident, title=drill_title, place=tool_centre, by=resident)
    hold.refresh_from_db()
    assert hold.status == Booking.Status.READY  # a free copy was set aside at once

    scan(desk_client, tool_centre, resident.member_number)

    page = desk_page(desk_client, tool_centre)
    assert "set aside, collect by" in page and hold.item.code in page


def test_enter_with_nothing_to_do_is_refused(desk_client, tool_centre, resident):
    scan(desk_client, tool_centre, resident.member_number)
    before = Event.objects.count()

    response = scan(desk_client, tool_centre, "")

    assert response.status_code == 400
    assert Event.objects.count() == before


def test_enter_in_the_empty_scan_field_checks_in_as_ok(
    desk_client, tool_centre, volunteer, resident, drill
):
    loan = lending.check_out(item=drill, member=resident, by=volunteer)
    scan(desk_client, tool_centre, drill.code)

    scan(desk_client, tool_centre, "")

    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.return_condition == "ok"


def test_basket_lines_show_their_block_at_scan_time(
    desk_client, tool_centre, volunteer, resident, other_resident, drill, second_drill, sander
):
    services.open_ticket(item=second_drill, by=volunteer, problem="damaged")
    today = timezone.localdate()
    lending.book(member=other_resident, by=other_resident, item=sander, start=today, end=today)
    scan(desk_client, tool_centre, resident.member_number)
    for item in (drill, second_drill, sander):
        scan(desk_client, tool_centre, item.code)

    page = desk_page(desk_client, tool_centre)

    assert page.count('class="line-block"') == 2
    assert "In repair:" in page and "Close its ticket on the Repairs page" in page
    assert "Booked by someone else:" in page and "set aside for Other_Resident" in page
    assert "Check out 3 items" in page  # the volunteer still decides; check-out says which


def test_member_blocks_per_line_with_the_override_path(
    desk_client, tool_centre, volunteer, resident, drills, drill, second_drill
):
    loan = lending.check_out(item=second_drill, member=resident, by=volunteer)
    LendingRule.objects.filter(category=drills).update(
        requires_verified_member=True, requires_briefing=True
    )
    Loan.objects.filter(pk=loan.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)

    page = desk_page(desk_client, tool_centre)

    assert "Overdue items:" in page and "tick override and give a reason" in page
    assert "Member not verified:" in page and "Mark verified" in page
    assert "Safety briefing missing:" in page and "record it below" in page


def test_panel_query_count_does_not_grow_with_the_basket(
    desk_client, tool_centre, resident, drill_title, django_assert_max_num_queries
):
    from lending.tests.factories import ItemFactory

    items = [ItemFactory(title=drill_title, place=tool_centre) for _ in range(6)]
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, items[0].code)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        desk_page(desk_client, tool_centre)
    for item in items[1:]:
        scan(desk_client, tool_centre, item.code)
    with CaptureQueriesContext(connection) as six:
        desk_page(desk_client, tool_centre)
    assert len(six) == len(one)
