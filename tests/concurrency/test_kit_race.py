"""Twenty people at once: half book a kit, half book one of its items alone. On PostgreSQL
exactly one gets that item, and no kit is ever half booked."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from lending import services
from lending.models import Booking, Kit, Occupancy
from lending.tests.factories import ItemFactory, TitleFactory
from sharing_city.core.errors import DomainError
from tests.concurrency.threads import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 20


def test_twenty_way_kit_against_single_bookings_of_its_item(
    drill, drills, tool_centre, make_member
):
    cutter = TitleFactory(category=drills, name_ko="타일 커터", name_en="Tile cutter")
    trowel = TitleFactory(category=drills, name_ko="흙손", name_en="Trowel")
    ItemFactory(code="TC-CUT1", title=cutter, place=tool_centre)
    ItemFactory(code="TC-CUT2", title=cutter, place=tool_centre)
    for n in range(N):  # plenty of trowels: only the drill is scarce
        ItemFactory(code=f"TC-TR{n:02d}", title=trowel, place=tool_centre)
    kit = Kit.objects.create(place=tool_centre, name_ko="욕실 타일", published=True)
    kit.titles.set([cutter, drill.title, trowel])
    members = [make_member(f"member{i}") for i in range(N)]
    start = dt.date.today() + dt.timedelta(days=3)

    def work(i: int):
        member = members[i]
        if i % 2 == 0:
            return services.book_kit(
                kit=kit, member=member, by=member, start=start, end=start + dt.timedelta(days=1)
            )
        return services.book(
            member=member, by=member, item=drill, start=start, end=start + dt.timedelta(days=2)
        )

    results = race(work, N)

    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, DomainError) for r in failures), failures
    assert Counter("ok" if not isinstance(r, Exception) else r.code for r in results) == {
        "ok": 1,
        "item_unavailable": N - 1,
    }
    assert Booking.objects.filter(item=drill, status="requested").count() == 1
    assert Occupancy.objects.filter(item=drill).count() == 1
    # Every member holds either no booking or all of a kit (3) or the single one (1).
    per_member = Counter(Booking.objects.values_list("member_id", flat=True))
    for i, member in enumerate(members):
        assert per_member.get(member.pk, 0) in ((0, 3) if i % 2 == 0 else (0, 1)), i
    kits_won = sum(1 for i, m in enumerate(members) if i % 2 == 0 and per_member.get(m.pk))
    assert Booking.objects.filter(title=cutter).count() == kits_won
    assert Booking.objects.filter(title=trowel).count() == kits_won
