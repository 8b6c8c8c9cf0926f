"""Kits: titles a place lends together, booked as one for the same dates, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lending.exceptions import KitNotBookable
from lending.models import Booking, Event, Item, Kit
from sharing_city.core.errors import InvalidInput

from .bookings import _book
from .common import _event, _lock_member
from .places import _log, require_manage_place


def book_kit(
    *,
    kit: Kit,
    member: Any,
    by: Any,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> list[Booking]:
    """Book one copy of each of the kit's titles at its place for [start, end].

    Guarantee: all the bookings commit together or none does. Each goes through book()'s own
    checks, and the occupancy exclusion constraint still stands behind every copy, so a kit
    racing a single booking of one of its items either gets that item or books nothing.
    Titles are booked in primary-key order, and each title's copies are locked in
    primary-key order, so two kits never wait on each other in a cycle.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        member = _lock_member(member)
        kit = Kit.objects.select_related("place").get(pk=kit.pk)
        titles = list(kit.titles.order_by("pk"))
        if not kit.published or not titles:
            raise KitNotBookable
        bookings = [
            _book(
                member=member,
                by=by,
                start=start,
                end=end,
                item=None,
                title=title,
                place=kit.place,
                now=now,
                data={"kit": kit.pk},
            )
            for title in titles
        ]
        _event(
            Event.Action.KIT_BOOKED,
            now,
            by,
            member=member,
            place=kit.place,
            data={"kit": kit.pk, "bookings": [b.pk for b in bookings]},
        )
    return bookings


# A kit is a handful of titles lent together: two at least (else it is a title), a dozen at most.
KIT_TITLES = (2, 12)


def publish_kit(
    *,
    place: Any,
    by: Any,
    name_ko: str,
    name_en: str = "",
    description_ko: str = "",
    description_en: str = "",
    item_codes: list[str],
    now: dt.datetime | None = None,
) -> Kit:
    """A lead volunteer or district staff publishes a kit of the place's own titles, named by
    the codes of copies the place holds (what the desk has in hand)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        require_manage_place(by, place)
        codes = list(dict.fromkeys(c.strip().upper() for c in item_codes if c.strip()))
        items = {i.code: i for i in Item.objects.filter(place=place, code__in=codes)}
        unknown = [c for c in codes if c not in items]
        if unknown:
            raise InvalidInput(
                _("These codes are not copies held here: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        title_ids = sorted({items[c].title_id for c in codes})
        low, high = KIT_TITLES
        if not low <= len(title_ids) <= high:
            raise InvalidInput(
                _("A kit holds between %(low)s and %(high)s different titles.")
                % {"low": low, "high": high}
            )
        kit = Kit.objects.create(
            place=place,
            name_ko=name_ko.strip(),
            name_en=name_en.strip(),
            description_ko=description_ko.strip(),
            description_en=description_en.strip(),
            published=True,
        )
        kit.titles.set(title_ids)
        _log(place, by, now, "kit_published", kit=kit.pk, titles=title_ids)
    return kit


def withdraw_kit(*, kit: Kit, by: Any, now: dt.datetime | None = None) -> Kit:
    """Take a kit out of the catalogue. Bookings already made stay (they are single bookings)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        kit = Kit.objects.select_for_update().select_related("place").get(pk=kit.pk)
        require_manage_place(by, kit.place)
        if kit.published:
            kit.published = False
            kit.save(update_fields=["published"])
            _log(kit.place, by, now, "kit_withdrawn", kit=kit.pk)
    return kit
