"""Size recommendation, after Open Closet's: fill the body measurements a renter left out from
past renters of the same style with a similar height and weight, keep only garments inside the
per-part tolerance windows (settings.CLOSET_FIT_TOLERANCES), rank by squared error with the
preferred colour first, and say why each suggestion fits ("waist +1 cm").

Pure functions over rows already loaded, so the ranking is tested on constructed data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from statistics import mean
from typing import Any

from django.conf import settings

from .models import BODY_PARTS, PART_LABELS, Garment, Rental, Suit

# The parts that decide whether a kind of garment fits; kinds not listed (ties) fit everyone.
PARTS_BY_KIND: dict[str, tuple[str, ...]] = {
    "jacket": ("bust", "arm", "topbelly", "belly"),
    "coat": ("bust", "arm"),
    "waistcoat": ("bust", "belly"),
    "shirt": ("neck", "bust", "arm"),
    "blouse": ("bust", "arm"),
    "dress": ("bust", "waist", "hip"),
    "trousers": ("waist", "hip", "thigh", "length", "cuff"),
    "skirt": ("waist", "hip"),
    "shoes": ("foot",),
    # A belt is sized by the length to its middle hole; its holes reach a few cm either way.
    "belt": ("waist",),
}
SIZED_KINDS = set(PARTS_BY_KIND)
# Where a kind's window differs from the style's (garment minus body, in cm).
KIND_WINDOWS: dict[str, dict[str, tuple[int, int]]] = {"belt": {"waist": (-5, 5)}}


@dataclass(frozen=True)
class Difference:
    part: str
    diff: int

    def __str__(self) -> str:
        unit = "mm" if self.part == "foot" else "cm"
        sign = "±" if self.diff == 0 else ("+" if self.diff > 0 else "−")
        return f"{PART_LABELS[self.part]} {sign}{abs(self.diff)} {unit}"


@dataclass
class Suggestion:
    garments: list[Garment]
    error: int
    colour_match: bool
    differences: list[Difference] = field(default_factory=list)

    @property
    def colour(self) -> str:
        return self.garments[0].colour

    @property
    def is_suit(self) -> bool:
        return len(self.garments) == 2

    def reasons(self) -> list[str]:
        return [str(d) for d in self.differences]


@dataclass
class Recommendation:
    body: dict[str, int]
    estimated: list[str]
    suits: list[Suggestion]
    garments: list[Suggestion]

    def shown(self, suits: int, garments: int) -> Recommendation:
        """The first `suits` and `garments` suggestions, what a page lists, each with the
        photo of its first garment (its lending title's first photo, `title.thumb`): one query
        for the suggestions shown."""
        from lending.photos import attach_thumbnails

        shown = replace(self, suits=self.suits[:suits], garments=self.garments[:garments])
        attach_thumbnails(s.garments[0].item.title for s in shown.suits + shown.garments)
        return shown

    def estimated_labels(self) -> list[str]:
        return [str(PART_LABELS[p]) for p in self.estimated]


def fill_missing(
    body: Mapping[str, int | None], *, style: str, height: int, weight: int
) -> tuple[dict[str, int], list[str]]:
    """Body measurements with the missing parts estimated as the mean of past renters of the
    same style within ±settings.CLOSET_SIMILAR_* of the renter's height and weight."""
    known = {p: v for p, v in body.items() if v is not None}
    missing = [p for p in [*BODY_PARTS, "foot"] if p not in known]
    if not missing:
        return known, []
    dh, dw = settings.CLOSET_SIMILAR_HEIGHT_CM, settings.CLOSET_SIMILAR_WEIGHT_KG
    snapshots = Rental.objects.filter(
        style=style,
        height__range=(height - dh, height + dh),
        weight__range=(weight - dw, weight + dw),
    ).values_list("measurements", flat=True)[:500]
    estimated = []
    for part in missing:
        values = [s[part] for s in snapshots if isinstance(s.get(part), int | float)]
        if values:
            known[part] = round(mean(values))
            estimated.append(part)
    return known, estimated


def differences(garment: Garment, body: Mapping[str, int]) -> list[Difference]:
    """Garment minus body, for the parts that decide this kind's fit and both sides have."""
    found = []
    for part in PARTS_BY_KIND.get(garment.kind, ()):
        size = getattr(garment, part)
        if size is not None and body.get(part) is not None:
            found.append(Difference(part, size - body[part]))
    return found


def fits(garment: Garment, body: Mapping[str, int], style: str) -> list[Difference] | None:
    """The differences when every one is inside its window, else None. A sized garment with
    no part to compare is not suggested: we cannot say why it would fit."""
    windows = {**_windows(style), **KIND_WINDOWS.get(garment.kind, {})}
    found = differences(garment, body)
    if garment.kind in SIZED_KINDS and not found:
        return None
    for d in found:
        low, high = windows.get(d.part, (-999, 999))
        if not low <= d.diff <= high:
            return None
    return found


def rank(
    candidates: Iterable[Garment],
    suits: Iterable[Suit],
    body: Mapping[str, int],
    *,
    style: str,
    preferred_colour: str = "",
) -> tuple[list[Suggestion], list[Suggestion]]:
    """(suits, single garments) that fit, best first: preferred colour, then least squared
    error, then code. `candidates` must already be only the available garments."""
    fitting = {}
    for garment in candidates:
        found = fits(garment, body, style)
        if found is not None:
            fitting[garment.pk] = (garment, found)
    singles = [
        _suggestion([garment], found, preferred_colour) for garment, found in fitting.values()
    ]
    paired = []
    for suit in suits:
        if suit.jacket_id in fitting and suit.bottom_id in fitting:
            jacket, j_found = fitting[suit.jacket_id]
            bottom, b_found = fitting[suit.bottom_id]
            paired.append(_suggestion([jacket, bottom], j_found + b_found, preferred_colour))
    return _sorted(paired), _sorted(singles)


def recommend(
    *,
    place: Any,
    body: Mapping[str, int | None],
    style: str,
    height: int,
    weight: int,
    preferred_colour: str,
    start: dt.date,
    end_exclusive: dt.date,
) -> Recommendation:
    """Suits and garments at `place` free for [start, end_exclusive) that fit this body."""
    filled, estimated = fill_missing(body, style=style, height=height, weight=weight)
    candidates = list(
        Garment.objects.at_place(place)
        .for_style(style)
        .free_between(start, end_exclusive)
        .select_related("item__title")
    )
    suits = Suit.objects.filter(jacket__item__place=place)
    suit_list, singles = rank(
        candidates, suits, filled, style=style, preferred_colour=preferred_colour
    )
    return Recommendation(body=filled, estimated=estimated, suits=suit_list, garments=singles)


def _windows(style: str) -> dict[str, tuple[int, int]]:
    tolerances: dict[str, dict[str, tuple[int, int]]] = settings.CLOSET_FIT_TOLERANCES
    return tolerances.get(style) or tolerances["men"]


def _suggestion(garments: list[Garment], found: list[Difference], colour: str) -> Suggestion:
    return Suggestion(
        garments=garments,
        error=sum(d.diff * d.diff for d in found),
        colour_match=bool(colour) and garments[0].colour == colour,
        differences=found,
    )


def _sorted(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Sized garments before ties (which fit everyone), then the preferred colour,
    then the least squared error, then the code for a stable order."""
    return sorted(
        suggestions,
        key=lambda s: (
            s.garments[0].kind not in SIZED_KINDS,
            not s.colour_match,
            s.error,
            s.garments[0].code,
        ),
    )
