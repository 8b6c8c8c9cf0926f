"""Closing an account cancels the member's open bookings and holds, through the booking
service's own path: the dates are free for someone else, the next in line is offered the copy."""

import datetime as dt

import pytest
from django.utils import timezone

from lending import exceptions, services
from lending.models import Booking, Event
from sharing_city.accounts.rights import close_account

pytestmark = pytest.mark.django_db


def _book(member, item, today):
    return services.book(
        member=member,
        by=member,
        item=item,
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=4),
    )


def test_closing_cancels_a_dated_booking_and_the_item_is_bookable_again(
    drill, resident, other_resident
):
    today = timezone.localdate()
    booking = _book(resident, drill, today)
    with pytest.raises(exceptions.LendingRefused):
        _book(other_resident, drill, today)

    close_account(user=resident)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.closed_at is not None
    assert Event.objects.filter(action="cancel", booking=booking, actor=resident).exists()
    assert _book(other_resident, drill, today).status == Booking.Status.REQUESTED


def test_closing_passes_a_ready_hold_to_the_next_in_line(
    drill, drill_title, tool_centre, resident, other_resident, make_member, volunteer
):
    third = make_member("third")
    services.check_out(item=drill, member=other_resident, by=volunteer)
    mine = services.place_hold(member=resident, title=drill_title, place=tool_centre, by=resident)
    services.place_hold(member=third, title=drill_title, place=tool_centre, by=third)
    services.check_in(item=drill, by=volunteer)
    mine.refresh_from_db()
    assert mine.status == Booking.Status.READY

    close_account(user=resident)

    mine.refresh_from_db()
    assert mine.status == Booking.Status.CANCELLED
    assert Booking.objects.get(member=third).status == Booking.Status.READY


def test_closing_twice_cancels_nothing_more(drill, resident):
    _book(resident, drill, timezone.localdate())
    close_account(user=resident)
    events = Event.objects.count()

    close_account(user=resident)

    assert Event.objects.count() == events
