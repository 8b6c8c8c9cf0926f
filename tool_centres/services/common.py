"""What repairs and transfers share: telling members whose bookings an item change cancelled."""

from __future__ import annotations

from lending.services.inventory import Displaced

from ..notices import tell_booking_cancelled


def tell_displaced(displaced: Displaced, *, why: str) -> None:
    for booking in displaced.cancelled:
        tell_booking_cancelled(booking, why=why)
