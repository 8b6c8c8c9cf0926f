"""Donations and garments on the rail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from lending import services as lending
from lending.models import ITEM_CODE_VALIDATOR, Category, Item, Place, Title
from lending.services.inventory import InvalidItem

from .. import access
from ..exceptions import GarmentCodeTaken, InvalidGarmentCode
from ..models import (
    Donation,
    Garment,
    Style,
)
from .common import ROOT_CATEGORY, _event

# --- Donations ----------------------------------------------------------------------------


def register_donation(
    *, donor: Any, place: Place, letter: str, by: Any, now: dt.datetime | None = None
) -> Donation:
    """Staff record a donor's gift and letter; garments are then added with `add_garment`."""
    now = now or timezone.now()
    access.require_staff(by, place)
    with transaction.atomic(durable=True):
        donation = Donation.objects.create(donor=donor, place=place, letter=letter, created_at=now)
        _event("donation", now, by, member=donor, place=place, data={"donation": donation.pk})
    return donation


def add_garment(
    *,
    place: Place,
    code: str,
    kind: str,
    colour: str,
    style: str,
    by: Any,
    donation: Donation | None = None,
    now: dt.datetime | None = None,
    **sizes: int | None,
) -> Garment:
    """A new garment on the rail: a lending item (code starting with its kind's letter) under
    the interview-clothing category, with its sizes. The same code again returns it."""
    now = now or timezone.now()
    access.require_staff(by, place)
    code = code.strip().upper()
    letter = Garment.LETTERS[kind]
    try:
        ITEM_CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise InvalidGarmentCode(letter=letter) from exc
    if not code.startswith(letter):
        raise InvalidGarmentCode(letter=letter)
    with lending.one_transaction():  # the lending item and its garment row together
        existing = Garment.objects.filter(item__code=code).select_related("item").first()
        if existing is not None:
            return existing
        if Item.objects.filter(code=code).exists():  # a tool or a book has this code
            raise InvalidGarmentCode(letter=letter)
        try:
            item = lending.add_item(
                place=place, code=code, by=by, now=now, **_title_of(kind, style)
            )
            with transaction.atomic():
                garment = Garment.objects.create(
                    item=item, kind=kind, colour=colour, style=style, donation=donation, **sizes
                )
        except (InvalidItem, IntegrityError) as exc:
            # Another desk added this code between the check and the insert: the unique code
            # (or the garment's one item) refuses the second; tell the person, not a 500.
            raise GarmentCodeTaken(code=code) from exc
        _event("garment_added", now, by, place=place, garment=garment)
    return garment


def _title_of(kind: str, style: str) -> dict[str, Any]:
    """The catalogue title every garment of this kind and style shares, or a new one."""
    category = _category_for(kind)
    with translation.override("ko"):
        name_ko = f"{Garment.Kind(kind).label} ({Style(style).label})"
    with translation.override("en"):
        name_en = f"{Garment.Kind(kind).label} ({Style(style).label})"
    title = Title.objects.filter(category=category, name_ko=name_ko).order_by("pk").first()
    if title is not None:
        return {"title": title}
    return {"new_title": lending.NewTitle(category=category, name_ko=name_ko, name_en=name_en)}


def _category_for(kind: str) -> Category:
    root = lending.ensure_category(
        slug=ROOT_CATEGORY, name_ko="면접 의류", name_en="Interview clothing"
    )
    return lending.ensure_category(
        slug=f"{ROOT_CATEGORY}-{kind}",
        name_ko=_label(kind, "ko"),
        name_en=_label(kind, "en"),
        parent=root,
    )


def _label(kind: str, language: str) -> str:
    with translation.override(language):
        return str(Garment.Kind(kind).label)
