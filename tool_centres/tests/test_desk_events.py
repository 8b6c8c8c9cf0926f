"""Every repair-ticket and transfer status change leaves one desk event: who, where, when."""

import datetime as dt

import pytest

from lending.tests.conftest import TODAY
from lending.tests.factories import at
from tool_centres import services
from tool_centres.models import DeskEvent

pytestmark = pytest.mark.django_db
NOW = at(TODAY, 11)
LATER = NOW + dt.timedelta(hours=2)


def test_starting_a_repair_records_who_where_and_when_once(volunteer, drill):
    ticket = services.open_ticket(item=drill, by=volunteer, now=NOW)

    services.start_repair(ticket=ticket, by=volunteer, now=LATER)
    services.start_repair(ticket=ticket, by=volunteer, now=LATER)  # twice: one event

    event = DeskEvent.objects.get(action="repair_started")
    assert (event.actor, event.at, event.place_id) == (volunteer, LATER, drill.place_id)
    assert (event.who, event.where) == (f"user:{volunteer.pk}", f"place:{drill.place_id}")
    assert event.subject == f"ticket:{ticket.pk}"
    assert list(DeskEvent.objects.filter(ticket=ticket).values_list("action", flat=True)) == [
        "repair_started",
        "ticket_opened",
    ]


def test_closing_a_ticket_records_its_outcome(volunteer, drill):
    ticket = services.open_ticket(item=drill, by=volunteer, now=NOW)

    services.close_ticket(ticket=ticket, by=volunteer, outcome="resolved", now=LATER)

    assert DeskEvent.objects.get(action="ticket_resolved").at == LATER


def test_cancelling_a_transfer_records_who_and_when_once(volunteer, drill, other_centre):
    transfer = services.request_transfer(item=drill, to_place=other_centre, by=volunteer, now=NOW)

    services.cancel_transfer(transfer=transfer, by=volunteer, now=LATER)
    services.cancel_transfer(transfer=transfer, by=volunteer, now=LATER)  # twice: one event

    event = DeskEvent.objects.get(action="transfer_cancelled")
    assert (event.actor, event.at, event.transfer) == (volunteer, LATER, transfer)
    assert event.data == {"to": other_centre.pk}
    assert DeskEvent.objects.filter(action="transfer_requested", at=NOW).count() == 1


def test_a_transfer_sent_and_received_records_each_step(
    volunteer, volunteer_elsewhere, drill, other_centre
):
    transfer = services.request_transfer(item=drill, to_place=other_centre, by=volunteer, now=NOW)

    services.send_transfer(transfer=transfer, by=volunteer, now=NOW)
    services.receive_transfer(transfer=transfer, by=volunteer_elsewhere, now=LATER)

    steps = DeskEvent.objects.filter(transfer=transfer).order_by("pk")
    assert [(e.action, e.actor) for e in steps] == [
        ("transfer_requested", volunteer),
        ("transfer_sent", volunteer),
        ("transfer_arrived", volunteer_elsewhere),
    ]
