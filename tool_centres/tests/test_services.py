"""Desk workflows: basket check-out, check-in with a repair ticket, repairs, transfers."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from lending import services as lending
from lending.exceptions import ItemAlreadyOnLoan, NotAtYourPlace, ReasonRequired
from lending.models import Booking, Event, Item, Loan, Occupancy
from lending.tests.conftest import TODAY
from lending.tests.factories import at
from sharing_city.notifications.models import Notice
from tool_centres import services
from tool_centres.exceptions import (
    BookingsWaitForItem,
    EmptyBasket,
    TicketClosed,
    TransferBeforeBooking,
    TransferOfLentItem,
    TransferUnderWay,
)
from tool_centres.models import DeskEvent, RepairTicket, Transfer
from tool_centres.notices import BOOKING_CANCELLED

pytestmark = pytest.mark.django_db
NOW = at(TODAY, 11)


def lend(item, member, by, now=NOW):
    return lending.check_out(item=item, member=member, by=by, now=now)


# --- Basket -------------------------------------------------------------------------------


def test_basket_lends_each_item_and_reports_refusals_per_item(
    volunteer, resident, other_resident, drill, second_drill, sander
):
    lend(second_drill, other_resident, volunteer)

    lines = services.check_out_basket(
        member=resident,
        items=[drill, second_drill, sander],
        place=drill.place,
        by=volunteer,
        now=NOW,
    )

    assert [(line.code, line.ok) for line in lines] == [
        ("TC-0001", True),
        ("TC-0002", False),
        ("TC-0100", True),
    ]
    assert lines[1].error.code == "item_on_loan"
    assert lines[0].loan.due_date == TODAY + dt.timedelta(days=7)
    assert Loan.objects.open().filter(member=resident).count() == 2
    assert Event.objects.filter(action="check_out", member=resident).count() == 2


def test_basket_twice_is_harmless(volunteer, resident, drill):
    first = services.check_out_basket(
        member=resident, items=[drill], place=drill.place, by=volunteer, now=NOW
    )
    again = services.check_out_basket(
        member=resident, items=[drill], place=drill.place, by=volunteer, now=NOW
    )

    assert again[0].ok and again[0].loan.pk == first[0].loan.pk
    assert Loan.objects.filter(item=drill).count() == 1


def test_basket_backdated_without_reason_is_refused_and_nothing_changes(volunteer, resident, drill):
    with pytest.raises(ReasonRequired):
        services.check_out_basket(
            member=resident,
            items=[drill],
            place=drill.place,
            by=volunteer,
            now=NOW,
            backdated_to=NOW - dt.timedelta(hours=3),
        )

    assert not Loan.objects.exists()
    assert not Event.objects.exists()


def test_basket_backdated_with_reason_records_the_time_and_reason(volunteer, resident, drill):
    lines = services.check_out_basket(
        member=resident,
        items=[drill],
        place=drill.place,
        by=volunteer,
        now=NOW,
        backdated_to=NOW - dt.timedelta(hours=3),
        reason="Forgot to scan at opening",
    )

    assert lines[0].loan.checked_out_at == NOW - dt.timedelta(hours=3)
    event = Event.objects.get(action="check_out")
    assert event.reason == "Forgot to scan at opening"
    assert event.data["backdated"] is True


def test_basket_refused_for_a_volunteer_of_another_place(volunteer_elsewhere, resident, drill):
    with pytest.raises(NotAtYourPlace):
        services.check_out_basket(
            member=resident, items=[drill], place=drill.place, by=volunteer_elsewhere, now=NOW
        )

    assert not Loan.objects.exists()


def test_empty_basket_is_refused(volunteer, resident, tool_centre):
    with pytest.raises(EmptyBasket):
        services.check_out_basket(member=resident, items=[], place=tool_centre, by=volunteer)


# --- Check-in and repairs -----------------------------------------------------------------


def test_damaged_check_in_opens_a_ticket_and_blocks_lending_and_booking(
    volunteer, resident, other_resident, drill
):
    lend(drill, resident, volunteer)

    result = services.check_in_at_desk(
        item=drill,
        place=drill.place,
        by=volunteer,
        condition="damaged",
        note="Chuck wobbles",
        now=NOW + dt.timedelta(hours=2),
    )

    assert result.ticket is not None
    assert result.ticket.status == RepairTicket.Status.OPEN
    assert result.ticket.note == "Chuck wobbles"
    drill.refresh_from_db()
    assert drill.status == Item.Status.MAINTENANCE
    with pytest.raises(Exception) as refused:
        lending.book(
            member=other_resident,
            by=other_resident,
            item=drill,
            start=TODAY + dt.timedelta(days=2),
            end=TODAY + dt.timedelta(days=3),
            now=NOW,
        )
    assert refused.value.code == "item_unavailable"
    assert Event.objects.filter(action="status", item=drill).count() == 1


def test_a_damaged_check_in_whose_ticket_fails_is_not_kept(volunteer, resident, drill, monkeypatch):
    """The check-in and its repair ticket are one transaction: if opening the ticket fails
    (here: the process dies there), the item is still on loan, not in maintenance untracked."""
    loan = lend(drill, resident, volunteer)

    def power_cut(**kwargs):
        raise RuntimeError("power cut while opening the ticket")

    monkeypatch.setattr(services.desk, "open_ticket", power_cut)
    with pytest.raises(RuntimeError):
        services.check_in_at_desk(
            item=drill, place=drill.place, by=volunteer, condition="damaged", now=NOW
        )

    loan.refresh_from_db()
    drill.refresh_from_db()
    assert loan.returned_at is None
    assert drill.status == Item.Status.ACTIVE
    assert not Event.objects.filter(action="check_in", item=drill).exists()
    assert not RepairTicket.objects.exists()


def test_opening_the_ticket_of_one_damaged_loan_twice_gives_one_ticket(volunteer, resident, drill):
    loan = lend(drill, resident, volunteer)
    services.check_in_at_desk(
        item=drill, place=drill.place, by=volunteer, condition="parts_missing", now=NOW
    )

    again = services.open_ticket(item=drill, by=volunteer, loan=loan, now=NOW)

    assert RepairTicket.objects.count() == 1
    assert again.loan_id_reported == loan.pk


def test_check_in_ok_shows_the_hold_it_goes_to(volunteer, resident, other_resident, drill):
    lend(drill, resident, volunteer)
    hold = lending.place_hold(
        member=other_resident, title=drill.title, place=drill.place, by=other_resident, now=NOW
    )

    result = services.check_in_at_desk(
        item=drill, place=drill.place, by=volunteer, condition="ok", now=NOW
    )

    assert result.ticket is None
    assert result.next_booking.pk == hold.pk
    assert result.next_booking.status == Booking.Status.READY


def test_ticket_moves_a_booking_to_a_free_copy(volunteer, other_resident, drill, second_drill):
    booking = lending.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=2),
        end=TODAY + dt.timedelta(days=3),
        now=NOW,
    )

    services.open_ticket(item=drill, by=volunteer, problem="needs_repair", now=NOW)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert booking.item_id == second_drill.pk
    assert Occupancy.objects.get(booking=booking).item_id == second_drill.pk
    assert not Notice.objects.filter(kind=BOOKING_CANCELLED).exists()


def test_ticket_cancels_a_booking_no_copy_can_meet_and_tells_the_member(
    volunteer, other_resident, drill, django_capture_on_commit_callbacks
):
    booking = lending.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=2),
        end=TODAY + dt.timedelta(days=3),
        now=NOW,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.open_ticket(item=drill, by=volunteer, problem="damaged", now=NOW)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not Occupancy.objects.filter(booking=booking).exists()
    notice = Notice.objects.get(kind=BOOKING_CANCELLED, recipient=other_resident)
    assert notice.subject_id == str(booking.pk)
    assert Event.objects.filter(action="cancel", booking=booking).exists()


def test_resolving_the_ticket_returns_the_item_to_lending_and_the_queue(
    volunteer, resident, other_resident, drill
):
    ticket = services.open_ticket(item=drill, by=volunteer, problem="needs_repair", now=NOW)
    hold = lending.place_hold(
        member=other_resident, title=drill.title, place=drill.place, by=other_resident, now=NOW
    )
    services.start_repair(ticket=ticket, by=volunteer)
    services.start_repair(ticket=ticket, by=volunteer)  # twice: harmless

    services.close_ticket(
        ticket=ticket, by=volunteer, outcome="resolved", resolution="New chuck", now=NOW
    )

    ticket.refresh_from_db()
    drill.refresh_from_db()
    hold.refresh_from_db()
    assert ticket.status == RepairTicket.Status.RESOLVED
    assert drill.status == Item.Status.ACTIVE
    assert hold.status == Booking.Status.READY and hold.item_id == drill.pk
    again = services.close_ticket(ticket=ticket, by=volunteer, outcome="resolved", now=NOW)
    assert again.status == RepairTicket.Status.RESOLVED
    with pytest.raises(TicketClosed):
        services.close_ticket(ticket=ticket, by=volunteer, outcome="retired", resolution="x")


def test_retiring_from_the_ticket_retires_the_item(volunteer, drill):
    ticket = services.open_ticket(item=drill, by=volunteer, now=NOW)

    services.close_ticket(
        ticket=ticket, by=volunteer, outcome="retired", resolution="Motor burnt", now=NOW
    )

    drill.refresh_from_db()
    assert drill.status == Item.Status.RETIRED
    assert Event.objects.filter(item=drill, action="status", reason="Motor burnt").exists()


def test_ticket_refused_elsewhere_changes_nothing(volunteer, volunteer_elsewhere, drill):
    ticket = services.open_ticket(item=drill, by=volunteer, now=NOW)

    with pytest.raises(NotAtYourPlace):
        services.close_ticket(ticket=ticket, by=volunteer_elsewhere, outcome="resolved")
    with pytest.raises(NotAtYourPlace):
        services.open_ticket(item=drill, by=volunteer_elsewhere)

    ticket.refresh_from_db()
    assert ticket.status == RepairTicket.Status.OPEN
    assert RepairTicket.objects.count() == 1


# --- Transfers ----------------------------------------------------------------------------


def test_transfer_requested_sent_and_received(
    volunteer, volunteer_elsewhere, other_resident, drill, second_drill, other_centre
):
    booking = lending.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=2),
        end=TODAY + dt.timedelta(days=3),
        now=NOW,
    )
    transfer = services.request_transfer(item=drill, to_place=other_centre, by=volunteer, now=NOW)
    assert services.request_transfer(item=drill, to_place=other_centre, by=volunteer) == transfer

    services.send_transfer(transfer=transfer, by=volunteer, now=NOW)
    drill.refresh_from_db()
    booking.refresh_from_db()
    assert drill.status == Item.Status.MAINTENANCE
    assert booking.status == Booking.Status.REQUESTED
    assert booking.item_id == second_drill.pk  # moved to the copy that stays

    with pytest.raises(NotAtYourPlace):
        services.receive_transfer(transfer=transfer, by=volunteer)
    services.receive_transfer(transfer=transfer, by=volunteer_elsewhere, now=NOW)
    services.receive_transfer(transfer=transfer, by=volunteer_elsewhere, now=NOW)  # twice

    transfer.refresh_from_db()
    drill.refresh_from_db()
    assert transfer.status == Transfer.Status.ARRIVED
    assert drill.place_id == other_centre.pk
    assert drill.status == Item.Status.ACTIVE
    assert Event.objects.filter(item=drill, action="move").count() == 1


def test_transfer_honours_a_booking_no_other_copy_can_meet(
    volunteer, other_resident, drill, other_centre
):
    booking = lending.book(
        member=other_resident,
        by=other_resident,
        item=drill,
        start=TODAY + dt.timedelta(days=services.TRANSFER_DAYS + 2),
        end=TODAY + dt.timedelta(days=services.TRANSFER_DAYS + 3),
        now=NOW,
    )
    transfer = services.request_transfer(item=drill, to_place=other_centre, by=volunteer, now=NOW)

    with pytest.raises(BookingsWaitForItem):
        services.send_transfer(transfer=transfer, by=volunteer, now=NOW)

    transfer.refresh_from_db()
    drill.refresh_from_db()
    booking.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED
    assert drill.status == Item.Status.ACTIVE
    assert booking.status == Booking.Status.REQUESTED and booking.item_id == drill.pk
    assert not Notice.objects.exists()


def test_transfer_refused_while_on_loan_and_for_a_second_destination(
    volunteer, resident, drill, other_centre, make_member
):
    from lending.tests.factories import PlaceFactory

    transfer = services.request_transfer(item=drill, to_place=other_centre, by=volunteer)
    with pytest.raises(TransferUnderWay):
        services.request_transfer(item=drill, to_place=PlaceFactory(), by=volunteer)
    lend(drill, resident, volunteer)

    with pytest.raises(ItemAlreadyOnLoan):
        services.send_transfer(transfer=transfer, by=volunteer)

    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REQUESTED
    assert mail.outbox == []


def test_a_transfer_is_refused_for_an_item_on_loan_or_booked_inside_the_window(
    volunteer, resident, other_resident, drill, second_drill, other_centre
):
    lend(drill, resident, volunteer)
    lending.book(
        member=other_resident,
        by=other_resident,
        item=second_drill,
        start=TODAY + dt.timedelta(days=services.TRANSFER_DAYS - 1),
        end=TODAY + dt.timedelta(days=services.TRANSFER_DAYS),
        now=NOW,
    )

    with translation.override("en"):
        with pytest.raises(TransferOfLentItem) as on_loan:
            services.request_transfer(item=drill, to_place=other_centre, by=volunteer, now=NOW)
        with pytest.raises(TransferBeforeBooking) as booked:
            services.request_transfer(
                item=second_drill, to_place=other_centre, by=volunteer, now=NOW
            )

    assert "TC-0001 is on loan until" in str(on_loan.value.message)
    assert f"within the {services.TRANSFER_DAYS} days a transfer takes" in str(booked.value.message)
    assert not Transfer.objects.exists()
    assert not DeskEvent.objects.exists()
