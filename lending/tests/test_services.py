"""The lending workflows: who -> what -> result, then the database, then the event log."""

import datetime as dt

import pytest

from lending import exceptions, services
from lending.models import Booking, Closure, Event, Item, Loan, Occupancy

from .conftest import TODAY
from .factories import ItemFactory, at

pytestmark = pytest.mark.django_db
NOW = at(TODAY)


def snapshot():
    return (
        list(Loan.objects.values_list("pk", "returned_at", "due_date", "renewals")),
        list(Booking.objects.values_list("pk", "status", "item_id")),
        list(Occupancy.objects.values_list("item_id", "start", "end")),
        Event.objects.count(),
        list(Item.objects.values_list("pk", "status")),
    )


# --- check-out --------------------------------------------------------------------------


def test_check_out_sets_due_date_from_the_rule_and_records_who(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    assert loan.due_date == TODAY + dt.timedelta(days=7)
    assert loan.is_open and loan.checked_out_by == volunteer
    occupancy = Occupancy.objects.get(loan=loan)
    assert (occupancy.start, occupancy.end) == (TODAY, TODAY + dt.timedelta(days=9))  # +1 +buffer
    event = Event.objects.get(action="check_out")
    assert (event.actor, event.member, event.item) == (volunteer, resident, drill)


def test_due_date_rolls_forward_to_the_next_open_day(drill, resident, volunteer, tool_centre):
    tool_centre.opening_hours.filter(weekday=(TODAY + dt.timedelta(days=7)).weekday()).delete()
    Closure.objects.create(place=tool_centre, date=TODAY + dt.timedelta(days=8), reason="추석")

    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    assert loan.due_date == TODAY + dt.timedelta(days=9)


def test_check_out_refuses_item_already_on_loan(drill, resident, other_resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    before = snapshot()

    with pytest.raises(exceptions.ItemAlreadyOnLoan):
        services.check_out(item=drill, member=other_resident, by=volunteer, now=NOW)

    assert snapshot() == before


def test_check_out_twice_to_the_same_member_is_refused_and_keeps_one_loan(
    drill, resident, volunteer
):
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    with pytest.raises(exceptions.ItemAlreadyOnLoan):
        services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    assert Loan.objects.filter(item=drill).count() == 1


def test_volunteer_of_another_place_cannot_check_out(drill, resident, volunteer_elsewhere):
    before = snapshot()

    with pytest.raises(exceptions.NotAtYourPlace):
        services.check_out(item=drill, member=resident, by=volunteer_elsewhere, now=NOW)

    assert snapshot() == before


def test_staff_of_the_district_may_check_out_and_staff_elsewhere_may_not(
    drill, resident, staff, staff_elsewhere
):
    with pytest.raises(exceptions.NotAtYourPlace):
        services.check_out(item=drill, member=resident, by=staff_elsewhere, now=NOW)

    loan = services.check_out(item=drill, member=resident, by=staff, now=NOW)
    assert loan.checked_out_by == staff


def test_member_with_an_overdue_loan_is_blocked_unless_overridden_with_a_reason(
    drill, second_drill, resident, volunteer
):
    services.check_out(
        item=drill, member=resident, by=volunteer, now=at(TODAY - dt.timedelta(days=20))
    )
    before = snapshot()

    with pytest.raises(exceptions.MemberBlocked) as refused:
        services.check_out(item=second_drill, member=resident, by=volunteer, now=NOW)
    assert refused.value.reasons == ["overdue"]
    with pytest.raises(exceptions.ReasonRequired):
        services.check_out(
            item=second_drill, member=resident, by=volunteer, now=NOW, override_block=True
        )
    assert snapshot() == before

    loan = services.check_out(
        item=second_drill,
        member=resident,
        by=volunteer,
        now=NOW,
        override_block=True,
        reason="Returning the other one tomorrow",
    )
    assert loan.is_open
    assert Event.objects.get(action="override").reason == "Returning the other one tomorrow"


def test_items_needing_a_briefing_are_refused_until_it_is_recorded(
    drill, drills, resident, volunteer, tool_centre
):
    drills.rules.update(requires_briefing=True)

    with pytest.raises(exceptions.MemberBlocked) as refused:
        services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    assert refused.value.reasons == ["briefing"]

    services.record_briefing(
        member=resident, category=drills, by=volunteer, place=tool_centre, now=NOW
    )
    services.record_briefing(
        member=resident, category=drills, by=volunteer, place=tool_centre, now=NOW
    )
    assert services.check_out(item=drill, member=resident, by=volunteer, now=NOW).is_open
    assert Event.objects.filter(action="briefing").count() == 1


def test_unverified_member_cannot_borrow_items_for_verified_members(
    drill, drills, resident, volunteer
):
    drills.rules.update(requires_verified_member=True)

    with pytest.raises(exceptions.MemberBlocked) as refused:
        services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    assert refused.value.reasons == ["unverified"]
    assert not Loan.objects.exists()


def test_max_items_per_member_is_enforced(drill_title, tool_centre, resident, volunteer):
    first, second, third = (ItemFactory(title=drill_title, place=tool_centre) for _ in range(3))
    services.check_out(item=first, member=resident, by=volunteer, now=NOW)
    services.check_out(item=second, member=resident, by=volunteer, now=NOW)

    with pytest.raises(exceptions.LimitReached):
        services.check_out(item=third, member=resident, by=volunteer, now=NOW)

    assert Loan.objects.open().count() == 2


def test_item_in_maintenance_cannot_be_lent(drill, resident, volunteer):
    Item.objects.filter(pk=drill.pk).update(status=Item.Status.MAINTENANCE)

    with pytest.raises(exceptions.ItemNotLendable):
        services.check_out(item=drill, member=resident, by=volunteer, now=NOW)


def test_item_scanned_at_the_wrong_place_is_refused(drill, resident, volunteer, other_centre):
    with pytest.raises(exceptions.ItemAtAnotherPlace):
        services.check_out(item=drill, member=resident, by=volunteer, place=other_centre, now=NOW)


def test_backdated_check_out_needs_a_reason_and_cannot_be_in_the_future(drill, resident, volunteer):
    yesterday = at(TODAY - dt.timedelta(days=1))
    with pytest.raises(exceptions.ReasonRequired):
        services.check_out(
            item=drill, member=resident, by=volunteer, now=NOW, backdated_to=yesterday
        )
    with pytest.raises(exceptions.FutureDate):
        services.check_out(
            item=drill,
            member=resident,
            by=volunteer,
            now=NOW,
            backdated_to=NOW + dt.timedelta(hours=2),
            reason="forgot",
        )
    assert not Loan.objects.exists()

    loan = services.check_out(
        item=drill,
        member=resident,
        by=volunteer,
        now=NOW,
        backdated_to=yesterday,
        reason="Desk was offline yesterday",
    )

    assert loan.checked_out_at == yesterday
    assert loan.due_date == TODAY + dt.timedelta(days=6)
    event = Event.objects.get(action="check_out")
    assert event.reason == "Desk was offline yesterday" and event.data["backdated"] is True


def test_check_out_before_a_later_booking_shortens_the_loan_to_fit(
    drill, resident, other_resident, volunteer
):
    services.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=5),
        end=TODAY + dt.timedelta(days=6),
        now=NOW,
    )

    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    # Booked from day 5; one turnaround day before it; due the day before that.
    assert loan.due_date == TODAY + dt.timedelta(days=3)


# --- check-in ---------------------------------------------------------------------------


def test_check_in_closes_the_loan_and_frees_the_item_after_the_buffer(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    services.check_in(item=drill, by=volunteer, now=at(TODAY + dt.timedelta(days=2)))

    loan.refresh_from_db()
    assert not loan.is_open and loan.outcome == "returned" and loan.returned_by == volunteer
    occupancy = Occupancy.objects.get(loan=loan)
    assert occupancy.end == TODAY + dt.timedelta(days=4)  # return day + 1 + 1 turnaround day


@pytest.mark.parametrize("turnaround", [0, 1])
def test_item_checked_in_today_can_be_lent_again_today(
    drill, drills, resident, other_resident, volunteer, turnaround
):
    drills.rules.update(turnaround_days=turnaround)
    services.check_out(
        item=drill, member=resident, by=volunteer, now=at(TODAY - dt.timedelta(days=3))
    )
    services.check_in(item=drill, by=volunteer, now=at(TODAY, 10))

    loan = services.check_out(item=drill, member=other_resident, by=volunteer, now=at(TODAY, 11))

    assert loan.is_open and loan.member == other_resident
    assert Occupancy.objects.filter(item=drill).count() == 1


def test_check_in_twice_is_refused_with_not_on_loan(drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    services.check_in(item=drill, by=volunteer, now=NOW)
    before = snapshot()

    with pytest.raises(exceptions.ItemNotOnLoan):
        services.check_in(item=drill, by=volunteer, now=NOW)

    assert snapshot() == before


def test_damaged_return_puts_the_item_into_maintenance(drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    loan = services.check_in(
        item=drill, by=volunteer, condition="damaged", note="chuck cracked", now=NOW
    )

    drill.refresh_from_db()
    assert loan.outcome == "damaged"
    assert drill.status == Item.Status.MAINTENANCE
    assert Event.objects.filter(action="status", item=drill).exists()


def test_late_check_in_is_never_refused_even_when_a_booking_follows(
    drill, resident, other_resident, volunteer
):
    services.check_out(
        item=drill, member=resident, by=volunteer, now=at(TODAY - dt.timedelta(days=12))
    )
    booking = services.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=1),
        end=TODAY + dt.timedelta(days=2),
        now=NOW,
    )

    loan = services.check_in(item=drill, by=volunteer, now=NOW)

    assert not loan.is_open
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_check_in_offers_the_copy_to_the_first_in_the_queue(
    drill, drill_title, tool_centre, resident, other_resident, make_member, volunteer
):
    third = make_member("third")
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    first_hold = services.place_hold(
        member=other_resident, title=drill_title, place=tool_centre, by=other_resident, now=NOW
    )
    services.place_hold(member=third, title=drill_title, place=tool_centre, by=third, now=NOW)

    services.check_in(item=drill, by=volunteer, now=at(TODAY + dt.timedelta(days=1)))

    first_hold.refresh_from_db()
    assert first_hold.status == "ready" and first_hold.item == drill
    assert first_hold.pickup_deadline == TODAY + dt.timedelta(days=3)
    assert Booking.objects.get(member=third).status == "requested"
    # Set aside: another member cannot take it at the desk.
    with pytest.raises(exceptions.ItemSetAsideForSomeoneElse):
        services.check_out(
            item=drill, member=third, by=volunteer, now=at(TODAY + dt.timedelta(days=1))
        )
    loan = services.check_out(
        item=drill, member=other_resident, by=volunteer, now=at(TODAY + dt.timedelta(days=1))
    )
    first_hold.refresh_from_db()
    assert loan.booking == first_hold and first_hold.status == "collected"


# --- renewal ----------------------------------------------------------------------------


def test_resident_renews_their_own_loan(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    renewed = services.renew(loan=loan, by=resident, now=at(TODAY + dt.timedelta(days=3)))

    assert renewed.due_date == TODAY + dt.timedelta(days=14)
    assert renewed.renewals == 1
    assert Occupancy.objects.get(loan=loan).end == TODAY + dt.timedelta(days=16)
    assert Event.objects.filter(action="renew", loan=loan).count() == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("limit", "limit_reached"),
        ("overdue", "overdue"),
        ("queue", "someone_waits"),
        ("booked", "someone_waits"),
    ],
)
def test_renewal_is_refused_with_the_reason(
    setup, reason, drill, drill_title, tool_centre, resident, other_resident, volunteer
):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    when = at(TODAY + dt.timedelta(days=3))
    if setup == "limit":
        services.renew(loan=loan, by=resident, now=when)
    elif setup == "overdue":
        when = at(TODAY + dt.timedelta(days=10))
    elif setup == "queue":
        services.place_hold(
            member=other_resident, title=drill_title, place=tool_centre, by=other_resident, now=NOW
        )
    elif setup == "booked":
        services.book(
            member=other_resident,
            by=other_resident,
            item=drill,
            start=TODAY + dt.timedelta(days=12),
            end=TODAY + dt.timedelta(days=13),
            now=NOW,
        )
    loan.refresh_from_db()
    before = snapshot()

    with pytest.raises(exceptions.RenewalRefused) as refused:
        services.renew(loan=loan, by=resident, now=when)

    assert refused.value.reason == reason
    assert refused.value.code == f"renewal_{reason}"
    assert snapshot() == before


def test_another_resident_cannot_renew_my_loan(drill, resident, other_resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    with pytest.raises(exceptions.NotAtYourPlace):
        services.renew(loan=loan, by=other_resident, now=NOW)

    loan.refresh_from_db()
    assert loan.renewals == 0


# --- bookings and holds -------------------------------------------------------------------


def test_booking_any_copy_takes_a_free_one(
    drill, second_drill, drill_title, resident, other_resident, tool_centre
):
    start, end = TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=4)
    first = services.book(
        member=resident,
        by=resident,
        title=drill_title,
        place=tool_centre,
        start=start,
        end=end,
        now=NOW,
    )
    second = services.book(
        member=other_resident,
        by=other_resident,
        title=drill_title,
        place=tool_centre,
        start=start,
        end=end,
        now=NOW,
    )

    assert {first.item, second.item} == {drill, second_drill}
    with pytest.raises(exceptions.ItemNotAvailable):
        services.book(
            member=resident,
            by=resident,
            title=drill_title,
            place=tool_centre,
            start=start,
            end=end,
            now=NOW,
        )


def test_booking_that_touches_another_bookings_buffer_is_refused(drill, resident, other_resident):
    services.book(
        member=resident,
        by=resident,
        item=drill,
        start=TODAY + dt.timedelta(days=3),
        end=TODAY + dt.timedelta(days=4),
        now=NOW,
    )
    before = snapshot()

    # Ends day 4, one turnaround day (5): day 5 is still taken, day 6 is free.
    with pytest.raises(exceptions.ItemNotAvailable) as refused:
        services.book(
            member=other_resident,
            by=other_resident,
            item=drill,
            start=TODAY + dt.timedelta(days=5),
            end=TODAY + dt.timedelta(days=5),
            now=NOW,
        )
    assert snapshot() == before
    assert refused.value.code == "item_unavailable"

    ok = services.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=6),
        end=TODAY + dt.timedelta(days=6),
        now=NOW,
    )
    assert ok.status == "requested"


def test_booking_that_overlaps_a_loans_buffer_is_refused(
    drill, resident, other_resident, volunteer
):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    with pytest.raises(exceptions.ItemNotAvailable):
        services.book(
            member=other_resident,
            by=other_resident,
            item=drill,
            start=loan.due_date + dt.timedelta(days=1),
            end=loan.due_date + dt.timedelta(days=2),
            now=NOW,
        )

    ok = services.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=loan.due_date + dt.timedelta(days=2),
        end=loan.due_date + dt.timedelta(days=3),
        now=NOW,
    )
    assert ok.pk


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (-1, 0, exceptions.BookingDatesInvalid),  # in the past
        (3, 2, exceptions.BookingDatesInvalid),  # reversed
        (1, 9, exceptions.BookingTooLong),  # longer than the loan length
        (90, 91, exceptions.BeyondHorizon),  # beyond the booking horizon
    ],
)
def test_booking_refuses_bad_dates_and_changes_nothing(drill, resident, start, end, error):
    with pytest.raises(error):
        services.book(
            member=resident,
            by=resident,
            item=drill,
            start=TODAY + dt.timedelta(days=start),
            end=TODAY + dt.timedelta(days=end),
            now=NOW,
        )

    assert not Booking.objects.exists() and not Occupancy.objects.exists()


def test_booking_limit_per_member(drill_title, tool_centre, resident):
    items = [ItemFactory(title=drill_title, place=tool_centre) for _ in range(4)]
    for n, item in enumerate(items[:3]):
        services.book(
            member=resident,
            by=resident,
            item=item,
            start=TODAY + dt.timedelta(days=n * 3 + 1),
            end=TODAY + dt.timedelta(days=n * 3 + 1),
            now=NOW,
        )

    with pytest.raises(exceptions.BookingLimitReached):
        services.book(
            member=resident,
            by=resident,
            item=items[3],
            start=TODAY + dt.timedelta(days=20),
            end=TODAY + dt.timedelta(days=20),
            now=NOW,
        )


def test_joining_the_queue_twice_keeps_one_place(
    drill, drill_title, tool_centre, resident, other_resident, volunteer
):
    services.check_out(item=drill, member=other_resident, by=volunteer, now=NOW)

    first = services.place_hold(
        member=resident, title=drill_title, place=tool_centre, by=resident, now=NOW
    )
    again = services.place_hold(
        member=resident, title=drill_title, place=tool_centre, by=resident, now=NOW
    )

    assert first == again
    assert Booking.objects.filter(member=resident).count() == 1


def test_hold_on_a_title_with_a_copy_on_the_shelf_is_ready_at_once(
    drill, drill_title, tool_centre, resident
):
    hold = services.place_hold(
        member=resident, title=drill_title, place=tool_centre, by=resident, now=NOW
    )

    assert hold.status == "ready" and hold.item == drill
    assert hold.pickup_deadline == TODAY + dt.timedelta(days=2)


def test_cancelling_a_ready_hold_passes_the_copy_to_the_next(
    drill, drill_title, tool_centre, resident, other_resident
):
    mine = services.place_hold(
        member=resident, title=drill_title, place=tool_centre, by=resident, now=NOW
    )
    theirs = services.place_hold(
        member=other_resident, title=drill_title, place=tool_centre, by=other_resident, now=NOW
    )
    assert (mine.status, theirs.status) == ("ready", "requested")

    services.cancel_booking(booking=mine, by=resident, now=NOW)
    services.cancel_booking(booking=mine, by=resident, now=NOW)  # twice: harmless

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "cancelled"
    assert theirs.status == "ready" and theirs.item == drill
    assert Event.objects.filter(action="cancel", booking=mine).count() == 1


def test_another_resident_cannot_cancel_my_booking(drill, resident, other_resident):
    booking = services.book(
        member=resident,
        by=resident,
        item=drill,
        start=TODAY + dt.timedelta(days=1),
        end=TODAY + dt.timedelta(days=1),
        now=NOW,
    )

    with pytest.raises(exceptions.NotAtYourPlace):
        services.cancel_booking(booking=booking, by=other_resident, now=NOW)

    booking.refresh_from_db()
    assert booking.status == "requested"


def test_dated_booking_becomes_ready_on_its_start_day_and_expires_uncollected(
    drill, drill_title, tool_centre, resident, other_resident
):
    booking = services.book(
        member=resident,
        by=resident,
        item=drill,
        start=TODAY + dt.timedelta(days=1),
        end=TODAY + dt.timedelta(days=2),
        now=NOW,
    )
    services.make_ready(booking=booking, now=NOW)  # too early: nothing happens
    booking.refresh_from_db()
    assert booking.status == "requested"

    services.make_ready(booking=booking, now=at(TODAY + dt.timedelta(days=1)))
    services.make_ready(booking=booking, now=at(TODAY + dt.timedelta(days=1)))
    booking.refresh_from_db()
    assert booking.status == "ready"
    assert booking.pickup_deadline == TODAY + dt.timedelta(days=3)
    assert Event.objects.filter(action="ready", booking=booking).count() == 1

    waiting = services.place_hold(
        member=other_resident, title=drill_title, place=tool_centre, by=other_resident, now=NOW
    )
    services.expire_booking(booking=booking, now=at(TODAY + dt.timedelta(days=3)))  # deadline day
    booking.refresh_from_db()
    assert booking.status == "ready"

    services.expire_booking(booking=booking, now=at(TODAY + dt.timedelta(days=4)))
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == "expired"
    assert waiting.status == "ready" and waiting.item == drill


def test_resident_collects_their_booking_at_the_desk(drill, resident, volunteer):
    booking = services.book(
        member=resident,
        by=resident,
        item=drill,
        start=TODAY,
        end=TODAY + dt.timedelta(days=2),
        now=NOW,
    )

    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    booking.refresh_from_db()
    assert loan.booking == booking and booking.status == "collected"
    assert not Occupancy.objects.filter(booking=booking).exists()


def test_mark_lost_closes_the_loan_and_the_item_goes_missing(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    services.mark_lost(loan=loan, by=volunteer, reason="Not returned after 60 days", now=NOW)
    services.mark_lost(loan=loan, by=volunteer, reason="again", now=NOW)

    loan.refresh_from_db()
    drill.refresh_from_db()
    assert loan.outcome == "lost" and not loan.is_open
    assert drill.status == Item.Status.MISSING
    assert Event.objects.filter(action="lost").count() == 1


def test_queue_at_a_place_without_a_copy_is_refused(drill, drill_title, other_centre, resident):
    with pytest.raises(exceptions.NoCopyHere):
        services.place_hold(
            member=resident, title=drill_title, place=other_centre, by=resident, now=NOW
        )

    assert not Booking.objects.exists()
