"""Demo data of the desk: one repair ticket at mapo-tools, so the Repairs page and Today show
one. Idempotent: does nothing once mapo-tools has a ticket."""

from __future__ import annotations

from typing import Any

from lending.models import Item, Place
from sharing_city.accounts.models import User

from . import services
from .models import RepairTicket


def load(stdout: Any = None) -> None:
    place = Place.objects.filter(slug="mapo-tools").first()
    volunteer = User.objects.filter(username="volunteer").first()
    if place is None or volunteer is None or RepairTicket.objects.filter(place=place).exists():
        return
    item = (
        Item.objects.lendable()
        .at_place(place)
        .filter(loans__isnull=True, bookings__isnull=True)
        .order_by("-code")
        .first()
    )
    if item is None:
        return
    services.open_ticket(
        item=item, by=volunteer, problem="needs_repair", note="배터리가 충전되지 않음"
    )
    if stdout is not None:
        stdout.write(f"Desk: repair ticket for {item.code} at {place.slug}\n")
