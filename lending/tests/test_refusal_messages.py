"""Refusals that name something read as Korean: the particle after the name is chosen."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from lending.exceptions import PlaceClosed


def test_a_refusal_naming_a_place_reads_with_the_particle_in_korean():
    with translation.override("ko"):
        refusal = PlaceClosed(
            place_name="마포 공구도서관", day=dt.date(2026, 12, 13), reason="일요일 휴관"
        )
    assert str(refusal).startswith("마포 공구도서관은 2026")
    assert "(는)" not in refusal.message
