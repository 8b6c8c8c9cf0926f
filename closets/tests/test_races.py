"""Ten renters reach for the last seat of a fitting slot at once: exactly one gets it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from closets import services
from closets.models import FittingSlot, FittingVisit
from tests.concurrency.threads import race as _race

from .conftest import NOW, TODAY, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 10


def race(work, n: int = N) -> list:
    return _race(work, n)


def test_ten_concurrent_bookings_of_the_last_seat_give_exactly_one(make_slot, make_member):
    slot = make_slot(capacity=3)
    for i in range(2):
        early = make_member(f"early{i}")
        services.book_fitting(member=early, slot=slot, by=early, now=NOW)
    members = [make_member(f"renter{i}") for i in range(N)]

    results = race(
        lambda i: services.book_fitting(member=members[i], slot=slot, by=members[i], now=NOW)
    )

    counts = Counter("ok" if not isinstance(r, Exception) else type(r).__name__ for r in results)
    assert counts == {"ok": 1, "SlotFull": N - 1}, counts
    assert all(r.code == "slot_full" for r in results if isinstance(r, Exception))
    slot.refresh_from_db()
    assert slot.booked == 3
    assert FittingVisit.objects.filter(slot=slot, state="booked").count() == 3


def test_the_database_refuses_an_overbooked_slot_even_without_the_lock(make_slot):
    from django.db import IntegrityError
    from django.db.models import F

    slot = make_slot(capacity=1)
    FittingSlot.objects.filter(pk=slot.pk).update(booked=1)

    with pytest.raises(IntegrityError):
        FittingSlot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)


def test_twenty_bookings_by_one_member_at_two_closets_give_one_future_fitting(
    make_slot, make_member, other_closet
):
    """The member's row is the lock both closets share: without it, two visits slipped in."""
    member = make_member("hurried")
    days = [TODAY + dt.timedelta(days=d) for d in (2, 3)]
    here = [make_slot(starts_at=at(d, 10), capacity=20) for d in days]
    there = [make_slot(starts_at=at(d, 11), capacity=20, place=other_closet) for d in days]
    slots = here + there
    n = 20

    results = race(
        lambda i: services.book_fitting(member=member, slot=slots[i % 4], by=member, now=NOW), n
    )

    counts = Counter(type(r).__name__ for r in results)
    visits = FittingVisit.objects.filter(member=member, state="booked")
    assert visits.count() == 1, counts
    # Whoever lost was told why, or handed back the winning visit (same slot again).
    winner = visits.get()
    for r in results:
        assert (isinstance(r, FittingVisit) and r.pk == winner.pk) or (
            isinstance(r, Exception) and r.code == "already_booked"
        ), r
    assert sum(s.booked for s in FittingSlot.objects.filter(pk__in=[s.pk for s in slots])) == 1
