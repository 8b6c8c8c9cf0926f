"""Reads for the catalogue, the item page and the resident's pages, in a constant number of
queries whatever the number of rows (lists annotate, pages fetch related rows in one go)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from . import reference
from .exceptions import RenewalRefused
from .models import Booking, Category, Item, LendingRule, Loan, Occupancy, Place, Title
from .querysets import ItemQuerySet
from .reference import category_parents
from .rules import rules_for_many

# --- the catalogue -------------------------------------------------------------------------


def category_with_descendants(category: Category | int) -> list[int]:
    """The category's id and those of every category below it (the cached tree)."""
    root = category if isinstance(category, int) else category.pk
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in category_parents().items():
        children[parent].append(pk)
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        if node in found:
            continue
        found.append(node)
        todo.extend(children[node])
    return found


def _count(items: QuerySet[Item]) -> Coalesce:
    counted = items.order_by().values("title").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _free_today(today: dt.date) -> Q:
    """An item's condition for being free today: not out, not spoken for today."""
    busy = Occupancy.objects.filter(item=OuterRef("pk"), start__lte=today, end__gt=today)
    out = Loan.objects.filter(item=OuterRef("pk"), returned_at__isnull=True)
    return Q(~Exists(busy), ~Exists(out))


def free_now(items: ItemQuerySet, today: dt.date) -> ItemQuerySet:
    """Copies a resident could take home today: active, not out, not spoken for today."""
    return items.lendable().filter(_free_today(today))


def catalogue(
    titles: QuerySet[Title],
    items: ItemQuerySet,
    today: dt.date,
    *,
    counts: bool = True,
    only_free: bool = False,
) -> QuerySet[Title]:
    """Titles with a lendable copy among `items`, annotated with `copies` and `available`.

    `items` is the (already filtered: place, district, dates) set of copies that count.
    Without `counts` the caller adds them up from `where_available` for its page only: when
    the title index supplies the order, PostgreSQL evaluates the two count subqueries for
    every row it skips over too (page 40 counted 800 titles' copies).
    """
    mine: ItemQuerySet = items.lendable().filter(title=OuterRef("pk"))
    # With `only_free` only titles with a copy free today: a semi-join that stops at the first
    # free copy (filtering on the count would count them all), and implies a lendable one.
    titles = titles.filter(has_free_copy(items, today) if only_free else Exists(mine))
    if not counts:
        return titles
    return titles.annotate(copies=_count(mine), available=_count(free_now(mine, today)))


def has_free_copy(items: ItemQuerySet, today: dt.date) -> Exists:
    return Exists(free_now(items.filter(title=OuterRef("pk")), today))


def most_borrowed(titles: QuerySet[Title]) -> QuerySet[Title]:
    """Most borrowed first, by the count check_out keeps (not a count of every loan)."""
    return titles.order_by("-loan_count", "name_ko", "pk")


@dataclass
class PlaceCopies:
    place_id: int
    name: str
    copies: int = 0
    available: int = 0


def where_available(
    titles: Sequence[Title], items: ItemQuerySet, today: dt.date
) -> dict[int, list[PlaceCopies]]:
    """For each title on a page, the places with copies and how many are free now (one query;
    the places' names come from the cached reference list when they are active)."""
    ids = [t.pk for t in titles]
    rows: ItemQuerySet = items.lendable().filter(title_id__in=ids).order_by()
    totals = list(
        rows.values("title_id", "place_id").annotate(
            n=Count("pk"), free=Count("pk", filter=_free_today(today))
        )
    )
    places = reference.place_names()
    missing = {r["place_id"] for r in totals} - places.keys()
    if missing:  # an inactive place's copies, when the caller counts them
        places.update({p.pk: p.name for p in Place.objects.filter(pk__in=missing)})
    result: dict[int, list[PlaceCopies]] = defaultdict(list)
    for row in totals:
        result[row["title_id"]].append(
            PlaceCopies(row["place_id"], places[row["place_id"]], row["n"], row["free"])
        )
    for entries in result.values():
        entries.sort(key=lambda e: (-e.available, e.name))
    return result


def count_copies(titles: Iterable[Title], where: dict[int, list[PlaceCopies]]) -> None:
    """Set `copies` and `available` on each title from its where-to-borrow rows."""
    for title in titles:
        title.places = where.get(title.pk, [])  # type: ignore[attr-defined]
        title.copies = sum(e.copies for e in title.places)  # type: ignore[attr-defined]
        title.available = sum(e.available for e in title.places)  # type: ignore[attr-defined]


# --- the item page -------------------------------------------------------------------------


def rule_summary(rule: LendingRule) -> list[str]:
    """The rule in plain words, one sentence each."""
    sentences = [
        _("Borrow for %(days)d days.") % {"days": rule.loan_days},
        (
            _("Renew up to %(times)d times for %(days)d days if nobody is waiting.")
            % {"times": rule.renewal_limit, "days": rule.renewal_days}
            if rule.renewal_limit
            else _("No renewals.")
        ),
        _("Collect within %(days)d days when it is ready.") % {"days": rule.pickup_window_days},
    ]
    if rule.requires_verified_member:
        sentences.append(_("Verified members only."))
    if rule.requires_briefing:
        sentences.append(_("A short safety briefing is needed the first time."))
    if rule.fee:
        sentences.append(_("Fee %(amount)s원.") % {"amount": f"{int(rule.fee):,}"})
    if rule.deposit:
        sentences.append(_("Deposit %(amount)s원.") % {"amount": f"{int(rule.deposit):,}"})
    return sentences


@dataclass
class CalendarDay:
    day: dt.date
    free: int
    total: int
    free_codes: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.free == 0:
            return "none"
        return "all" if self.free == self.total else "some"


def availability(
    items: Sequence[Item], start: dt.date, days: int, today: dt.date
) -> list[CalendarDay]:
    """Day by day, which of `items` are free (one query for every occupancy in the window)."""
    end = start + dt.timedelta(days=days)
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for item_id, s, e in Occupancy.objects.filter(
        item__in=[i.pk for i in items], start__lt=end, end__gt=start
    ).values_list("item_id", "start", "end"):
        spans[item_id].append((s, e))
    calendar = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        free = [
            i.code
            for i in items
            if i.status == Item.Status.ACTIVE
            and not any(s <= day < e for s, e in spans[i.pk])
            and not (day == today and getattr(i, "borrow_status", "") in ("on_loan", "overdue"))
        ]
        calendar.append(CalendarDay(day, len(free), len(items), free))
    return calendar


# Sunday first, as Korean wall calendars and phone calendars show a month.
WEEK_STARTS_ON = 6  # date.weekday() of Sunday


@dataclass
class MonthCell:
    """One day of the month grid: how many copies are free, whether the place is closed (and
    why), and what choosing it does: `pick` is "start" (a new pickup day) or "end" (the
    return day of the pickup already chosen); empty when it cannot be chosen."""

    day: dt.date
    free: int
    total: int
    closed: str = ""
    pick: str = ""
    pick_start: dt.date | None = None
    pick_end: dt.date | None = None
    chosen: str = ""  # "start", "end", "both" or "between": part of the chosen dates
    past: bool = False


@dataclass
class MonthGrid:
    month: dt.date  # its first day
    weeks: list[list[MonthCell | None]]
    previous: dt.date | None  # first day of the month before, when it can be shown
    following: dt.date | None
    next_free: list[dt.date]  # the next days a copy can be picked up, soonest first
    start: dt.date | None = None  # the chosen dates, once checked
    end: dt.date | None = None


def month_grid(
    items: Sequence[Item],
    *,
    closed: dict[dt.date, str],
    month: dt.date,
    today: dt.date,
    last_day: dt.date,
    max_days: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> MonthGrid:
    """The availability of `items` as a month grid for picking a pickup and a return day.

    `closed` holds the pickup place's closed days from today to `last_day` (the farthest
    day a booking may start); a booking lasts at most `max_days`. One query (occupancies)."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    window_start = min(first, today)
    window_end = max(following, last_day + dt.timedelta(days=max_days + 1))
    days = availability(items, window_start, (window_end - window_start).days, today)
    free = {d.day: set(d.free_codes) for d in days}
    if start is not None and (start < today or start > last_day or start in closed):
        start = end = None
    if start is not None and (
        end is None
        or not _free_through(free, start, end)
        or end in closed
        or (end - start).days >= max_days
    ):
        end = start if free.get(start) else None
    if start is not None and not free.get(start):
        start = end = None
    cells = []
    for offset in range((following - first).days):
        day = first + dt.timedelta(days=offset)
        cell = MonthCell(day, len(free.get(day, ())), len(items), closed.get(day, ""))
        cell.past = day < today
        cell.chosen = _chosen(day, start, end)
        if cell.past or day in closed or day > last_day + dt.timedelta(days=max_days):
            pass
        elif (
            start is not None
            and start < day < start + dt.timedelta(days=max_days)
            and (_free_through(free, start, day))
        ):
            cell.pick, cell.pick_start, cell.pick_end = "end", start, day
        elif day <= last_day and cell.free:
            cell.pick, cell.pick_start, cell.pick_end = "start", day, day
        cells.append(cell)
    lead = (first.weekday() - WEEK_STARTS_ON) % 7
    padded: list[MonthCell | None] = [None] * lead + cells
    padded += [None] * (-len(padded) % 7)
    weeks = [padded[i : i + 7] for i in range(0, len(padded), 7)]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    next_free = [
        d.day
        for d in days
        if d.day >= today and d.day <= last_day and d.free and d.day not in closed
    ][:3]
    return MonthGrid(
        month=first,
        weeks=weeks,
        previous=previous if previous >= today.replace(day=1) else None,
        following=following if following <= last_day else None,
        next_free=next_free,
        start=start,
        end=end,
    )


def _free_through(free: dict[dt.date, set[str]], start: dt.date, end: dt.date) -> bool:
    """Some one copy is free on every day from start to end."""
    codes: set[str] | None = None
    for offset in range((end - start).days + 1):
        day_codes = free.get(start + dt.timedelta(days=offset), set())
        codes = set(day_codes) if codes is None else codes & day_codes
        if not codes:
            return False
    return bool(codes)


def _chosen(day: dt.date, start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return ""
    end = end or start
    if day == start == end:
        return "both"
    if day == start:
        return "start"
    if day == end:
        return "end"
    return "between" if start < day < end else ""


def default_pickup_place(
    places: Sequence[tuple[Place, float | None]], district_id: int | None
) -> Place | None:
    """The nearest place in the member's own district, else the nearest place at all
    (`places` come nearest first, from places_by_distance)."""
    for place, _distance in places:
        if district_id is not None and place.district_id == district_id:
            return place
    return places[0][0] if places else None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _coordinates(lat: Decimal | None, lon: Decimal | None) -> tuple[float, float] | None:
    return (float(lat), float(lon)) if lat is not None and lon is not None else None


def place_coordinates(place: Place) -> tuple[float, float] | None:
    """The place's own coordinates, else its district's."""
    return _coordinates(place.latitude, place.longitude) or _coordinates(
        place.district.latitude, place.district.longitude
    )


def places_by_distance(
    places: Iterable[Place], origin: tuple[float, float] | None
) -> list[tuple[Place, float | None]]:
    """Places nearest first (a handful per title, so Python is fine)."""
    measured = []
    for place in places:
        here = place_coordinates(place)
        distance = haversine_km(origin, here) if origin and here else None
        measured.append((place, distance))
    return sorted(measured, key=lambda pd: (pd[1] is None, pd[1] or 0, pd[0].name))


@dataclass
class TitlePage:
    title: Title
    copies: list[Item]
    rules: dict[int, LendingRule]  # by place id
    waiting: int
    places: list[tuple[Place, float | None]]


def title_page(title: Title, *, today: dt.date, origin: tuple[float, float] | None) -> TitlePage:
    """Everything the item page shows, in a fixed number of queries."""
    copies = list(
        Item.objects.filter(title=title)
        .exclude(status=Item.Status.RETIRED)
        .with_borrow_status(today)
        .select_related("place__district")
        .order_by("place__name_ko", "code")
    )
    pairs = {(title.category_id, c.place_id) for c in copies}
    rules = {place: rule for (_cat, place), rule in rules_for_many(pairs).items()}
    places = {c.place_id: c.place for c in copies}.values()
    waiting = Booking.objects.waiting_for(title).count()
    return TitlePage(title, copies, rules, waiting, places_by_distance(places, origin))


# --- the resident's pages ------------------------------------------------------------------


def renewal_refusals(loans: Sequence[Loan], today: dt.date) -> dict[int, RenewalRefused | None]:
    """Why each loan cannot be renewed now (None: it can), in a constant number of queries.

    Mirrors services.renewal_refusal check for check, in the same order. The loans need
    `item__title` loaded (select_related).
    """
    open_loans = [loan for loan in loans if loan.is_open]
    rules = rules_for_many((loan.item.title.category_id, loan.place_id) for loan in open_loans)
    members = {loan.member_id for loan in open_loans}
    blocked = set(
        Loan.objects.overdue(today)
        .filter(member_id__in=members)
        .values_list("member_id", flat=True)
    )
    titles = {loan.item.title_id for loan in open_loans}
    waiting = set(
        Booking.objects.filter(title_id__in=titles, status="requested", start_date__isnull=True)
        .values_list("title_id", "place_id")
        .distinct()
    )
    others: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for item_id, s, e in (
        Occupancy.objects.filter(item_id__in=[loan.item_id for loan in open_loans])
        .exclude(loan_id__in=[loan.pk for loan in open_loans])
        .values_list("item_id", "start", "end")
    ):
        others[item_id].append((s, e))
    result: dict[int, RenewalRefused | None] = {}
    for loan in loans:
        result[loan.pk] = _refusal(loan, today, rules, blocked, waiting, others)
    return result


def _refusal(
    loan: Loan,
    today: dt.date,
    rules: dict[tuple[int, int], LendingRule],
    blocked: set[int],
    waiting: set[tuple[int, int]],
    others: dict[int, list[tuple[dt.date, dt.date]]],
) -> RenewalRefused | None:
    if not loan.is_open:
        return RenewalRefused("closed")
    if loan.is_overdue(today):
        return RenewalRefused("overdue")
    rule = rules[(loan.item.title.category_id, loan.place_id)]
    if loan.renewals >= rule.renewal_limit:
        return RenewalRefused("limit_reached")
    if loan.member_id in blocked:
        return RenewalRefused("member_blocked")
    if (loan.item.title_id, loan.place_id) in waiting:
        return RenewalRefused("someone_waits")
    new_due = loan.due_date + dt.timedelta(days=rule.renewal_days)
    horizon_end = new_due + dt.timedelta(days=1 + rule.turnaround_days)
    if any(s < horizon_end and e > loan.due_date for s, e in others[loan.item_id]):
        return RenewalRefused("someone_waits")
    return None


def my_loans(member: Any) -> QuerySet[Loan]:
    return (
        Loan.objects.for_member(member)
        .open()
        .select_related("item__title", "place")
        .order_by("due_date", "pk")
    )


def my_bookings(member: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.for_member(member)
        .active()
        .select_related("title", "item", "place")
        .order_by("start_date", "created_at", "pk")
    )


def my_history(member: Any) -> QuerySet[Loan]:
    return (
        Loan.objects.for_member(member)
        .closed()
        .select_related("item__title", "place")
        .order_by("-returned_at", "-pk")
    )


def queue_positions(bookings: Sequence[Booking]) -> dict[int, int]:
    """Place in line of each queue hold (1 = next), in one query."""
    holds = [b for b in bookings if b.is_queue_hold and b.status == "requested"]
    if not holds:
        return {}
    lines: dict[tuple[int, int], list[int]] = defaultdict(list)
    condition = Q()
    for hold in holds:
        condition |= Q(title_id=hold.title_id, place_id=hold.place_id)
    queue = (
        Booking.objects.filter(condition, status="requested", start_date__isnull=True)
        .order_by("priority", "created_at", "pk")
        .values_list("pk", "title_id", "place_id")
    )
    for pk, title_id, place_id in queue:
        lines[(title_id, place_id)].append(pk)
    return {h.pk: lines[(h.title_id, h.place_id)].index(h.pk) + 1 for h in holds}
