"""Extending a loan up to a cap on its length, and changing an item's status."""

import datetime as dt

import pytest

from lending import exceptions, services
from lending.models import Event, Item, Loan, Occupancy

from .conftest import TODAY
from .factories import at

pytestmark = pytest.mark.django_db
NOW = at(TODAY)


def snapshot(item):
    return (
        list(Loan.objects.values_list("pk", "due_date")),
        list(Occupancy.objects.values_list("item_id", "start", "end")),
        Event.objects.count(),
        Item.objects.get(pk=item.pk).status,
    )


def test_extend_loan_moves_the_due_date_and_the_occupancy(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)

    loan = services.extend_loan(loan=loan, days=5, max_total_days=30, by=resident, now=NOW)

    assert loan.due_date == TODAY + dt.timedelta(days=12)
    loan.refresh_from_db()
    assert loan.due_date == TODAY + dt.timedelta(days=12)
    assert Occupancy.objects.get(loan=loan).end == TODAY + dt.timedelta(days=14)
    event = Event.objects.filter(action="renew").get()
    assert event.actor == resident and event.data["extension"] is True


def test_extend_loan_stops_at_the_cap_then_refuses_and_changes_nothing(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    services.extend_loan(loan=loan, days=40, max_total_days=30, by=resident, now=NOW)
    loan.refresh_from_db()
    assert loan.due_date == TODAY + dt.timedelta(days=30)
    before = snapshot(drill)

    with pytest.raises(exceptions.RenewalRefused) as refused:
        services.extend_loan(loan=loan, days=1, max_total_days=30, by=resident, now=NOW)

    assert refused.value.code == "renewal_limit_reached"
    assert snapshot(drill) == before


def test_extend_loan_is_refused_when_overdue(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    before = snapshot(drill)

    with pytest.raises(exceptions.RenewalRefused) as refused:
        services.extend_loan(
            loan=loan, days=2, max_total_days=30, by=resident, now=at(TODAY + dt.timedelta(days=9))
        )

    assert refused.value.code == "renewal_overdue"
    assert snapshot(drill) == before


def test_extend_loan_refuses_someone_elses_loan(drill, resident, other_resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    before = snapshot(drill)

    with pytest.raises(exceptions.NotAtYourPlace):
        services.extend_loan(loan=loan, days=2, max_total_days=30, by=other_resident, now=NOW)

    assert snapshot(drill) == before


def test_set_item_status_records_who_and_twice_is_harmless(drill, volunteer):
    services.set_item_status(item=drill, status="maintenance", by=volunteer, reason="laundry")
    services.set_item_status(item=drill, status="maintenance", by=volunteer, reason="laundry")

    drill.refresh_from_db()
    assert drill.status == "maintenance"
    event = Event.objects.get(action="status")
    assert (event.actor, event.reason, event.data) == (
        volunteer,
        "laundry",
        {"from": "active", "to": "maintenance"},
    )


def test_set_item_status_refuses_an_item_on_loan_and_changes_nothing(drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    before = snapshot(drill)

    with pytest.raises(exceptions.ItemAlreadyOnLoan):
        services.set_item_status(item=drill, status="retired", by=volunteer)

    assert snapshot(drill) == before


def test_set_item_status_refuses_a_volunteer_elsewhere(drill, volunteer_elsewhere):
    with pytest.raises(exceptions.NotAtYourPlace):
        services.set_item_status(item=drill, status="retired", by=volunteer_elsewhere)

    drill.refresh_from_db()
    assert drill.status == "active"
