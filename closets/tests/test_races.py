"""Ten renters reach for the last seat of a fitting slot at once: exactly one gets it."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from closets import services
from closets.models import FittingSlot, FittingVisit

from .conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 10


def race(work, n: int = N) -> list:
    """Run work(i) in n threads released together; return each result or exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


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
