"""Twenty people reach for one item at once: exactly one succeeds, on real PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import IntegrityError, transaction

from lending import services
from lending.exceptions import ItemAlreadyOnLoan, ItemNotAvailable
from lending.models import Booking, Loan, Occupancy
from sharing_city.core.errors import DomainError
from tests.concurrency.threads import race as _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 20


def race(work, n: int = N) -> list:
    return _race(work, n)


@pytest.fixture
def members(make_member):
    return [make_member(f"member{i}") for i in range(N)]


def outcome(result) -> str:
    return "ok" if not isinstance(result, Exception) else type(result).__name__


def test_twenty_concurrent_check_outs_of_one_item_give_one_loan(drill, members, volunteer):
    results = race(lambda i: services.check_out(item=drill, member=members[i], by=volunteer))

    counts = Counter(outcome(r) for r in results)
    assert counts == {"ok": 1, "ItemAlreadyOnLoan": N - 1}, counts
    assert all(
        isinstance(r, ItemAlreadyOnLoan) and r.code == "item_on_loan"
        for r in results
        if isinstance(r, Exception)
    )
    assert Loan.objects.filter(item=drill).count() == 1
    assert Occupancy.objects.filter(item=drill).count() == 1


def test_twenty_concurrent_overlapping_bookings_give_one(drill, members):
    start = dt.date.today() + dt.timedelta(days=3)

    def book(i: int):
        return services.book(
            member=members[i],
            by=members[i],
            item=drill,
            start=start + dt.timedelta(days=i % 2),
            end=start + dt.timedelta(days=2),
        )

    results = race(book)

    counts = Counter(outcome(r) for r in results)
    assert counts == {"ok": 1, "ItemNotAvailable": N - 1}, counts
    assert all(isinstance(r, DomainError) for r in results if isinstance(r, Exception))
    assert Booking.objects.filter(item=drill, status="requested").count() == 1


def test_database_refuses_overlapping_periods_even_past_the_service(drill, members):
    booking = services.book(
        member=members[0],
        by=members[0],
        item=drill,
        start=dt.date.today() + dt.timedelta(days=2),
        end=dt.date.today() + dt.timedelta(days=3),
    )
    other = Booking.objects.create(
        member=members[1],
        title=drill.title,
        item=drill,
        place=drill.place,
        created_at=booking.created_at,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(
            item=drill, booking=other, start=booking.start_date, end=booking.end_date
        )


def test_database_refuses_a_second_open_loan(drill, members, volunteer):
    loan = services.check_out(item=drill, member=members[0], by=volunteer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            item=drill,
            member=members[1],
            place=drill.place,
            checked_out_at=loan.checked_out_at,
            due_date=loan.due_date,
        )


def test_booking_that_overlaps_a_loans_buffer_is_refused_on_postgres(drill, members, volunteer):
    loan = services.check_out(item=drill, member=members[0], by=volunteer)

    with pytest.raises(ItemNotAvailable):
        services.book(
            member=members[1],
            by=members[1],
            item=drill,
            start=loan.due_date + dt.timedelta(days=1),
            end=loan.due_date + dt.timedelta(days=1),
        )
