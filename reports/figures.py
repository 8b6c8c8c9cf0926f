"""The lending figures of the reports, each defined once, here (the page shows the same words).

Dates are the city's local dates (settings.TIME_ZONE, Asia/Seoul): a check-out at 00:30 on
1 March in Seoul counts on 1 March even though it is still 28 February in UTC. A range is
inclusive of both its first and last day. "Today" caps every open-ended period: the report
never counts days that have not happened.

Definitions:
- loans: check-outs whose check-out time falls in the range.
- unique borrowers: distinct members among those loans.
- new members: members who joined in the range, living in the district (the city: everyone);
  place and category filters do not apply.
- items available: items in the collection at the places today (status active or in
  maintenance; retired and missing items are left out).
- loan-days: for every loan, the dates from its check-out date up to the day before its return
  date (a same-day return counts one day; an open loan runs to today), counted within the range.
- item-days: for every item, the dates from the day it was added (acquired on, else created;
  its first check-out if that is earlier) to the range end or today, or to the day before it
  was retired or went missing, counted within the range.
- utilisation: loan-days ÷ item-days.
- overdue rate: loans returned after their due date, or still out past it today ÷ loans.
- average loan length: mean of (return date − check-out date) in days over the loans that
  were returned; open loans are left out.
- renewals: renewals made on the loans.
- bookings not collected: bookings at the places that expired in the range (set aside, never
  picked up).
- repairs: check-ins in the range that reported the item needing repair, damaged or missing
  parts.
- items never borrowed: items available today that were not checked out in the range.
- money saved (estimate): sum over loans of the category's factor: a share of the title's
  replacement value, or a fixed amount per loan. CO₂ avoided (estimate): sum over loans of the
  category's kg per loan.

Loans count at the place where they were checked out; items (and their item-days) count at the
place where they are now, so an item moved between places takes its days with it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from lending.models import Booking, Category, Event, Item, Loan, Place
from lending.services import impact_factors_for

REPAIR_CONDITIONS = ("needs_repair", "damaged", "parts_missing")
GONE = ("retired", "missing")


@dataclass(frozen=True)
class Scope:
    """What a report covers: a district (None: the whole city), optional place and category
    (the category includes its sub-categories), and an inclusive range of local dates."""

    start: dt.date
    end: dt.date
    district_id: int | None = None
    place_id: int | None = None
    category_id: int | None = None

    def cache_key(self) -> str:
        return f"{self.start}:{self.end}:{self.district_id}:{self.place_id}:{self.category_id}"


@dataclass
class Row:
    """One line of a breakdown (a place, a category, a month)."""

    key: Any
    label: str
    loans: int = 0
    borrowers: int = 0
    loan_days: int = 0
    item_days: int = 0
    renewals: int = 0
    overdue: int = 0
    members: set[int] = field(default_factory=set, repr=False)

    @property
    def utilisation(self) -> float | None:
        return self.loan_days / self.item_days if self.item_days else None


@dataclass
class LendingFigures:
    scope: Scope
    today: dt.date
    computed_at: dt.datetime
    loans: int = 0
    borrowers: int = 0
    new_members: int = 0
    items_available: int = 0
    loan_days: int = 0
    item_days: int = 0
    overdue: int = 0
    renewals: int = 0
    returned: int = 0
    returned_days: int = 0
    bookings_not_collected: int = 0
    repairs: int = 0
    money_saved: Decimal = Decimal(0)
    co2_kg: Decimal = Decimal(0)
    places: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    top_titles: list[tuple[str, int]] = field(default_factory=list)
    never_borrowed: int = 0
    never_borrowed_sample: list[tuple[str, str]] = field(default_factory=list)

    @property
    def utilisation(self) -> float | None:
        return self.loan_days / self.item_days if self.item_days else None

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.loans if self.loans else None

    @property
    def average_loan_days(self) -> float | None:
        return self.returned_days / self.returned if self.returned else None


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes of local midnight at the start and after the last day of the range."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return begin, after


def days_within(first: dt.date, last: dt.date, start: dt.date, end: dt.date) -> int:
    """How many dates of [first, last] fall in [start, end] (both inclusive)."""
    return max(0, (min(last, end) - max(first, start)).days + 1)


def category_ids_under(category_id: int) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), [category_id]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(children[node])
    return found


def places_in(scope: Scope) -> Any:
    places = Place.objects.all()
    if scope.district_id is not None:
        places = places.filter(district_id=scope.district_id)
    if scope.place_id is not None:
        places = places.filter(pk=scope.place_id)
    return places


def _filtered(qs: Any, scope: Scope, place_field: str, category_field: str) -> Any:
    if scope.district_id is not None:
        qs = qs.filter(**{f"{place_field}__district_id": scope.district_id})
    if scope.place_id is not None:
        qs = qs.filter(**{f"{place_field}_id": scope.place_id})
    if scope.category_id is not None:
        qs = qs.filter(**{f"{category_field}__in": category_ids_under(scope.category_id)})
    return qs


def lending_figures(scope: Scope, *, now: dt.datetime | None = None) -> LendingFigures:
    """Every lending figure of the report, in a fixed number of queries whatever the data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    figures = LendingFigures(scope=scope, today=today, computed_at=now)
    places = {p.pk: p for p in places_in(scope)}
    categories = {c.pk: c for c in Category.objects.all()}
    tally = _count_loans(figures, places, categories)
    _count_items(figures, places, categories, tally)
    figures.new_members = _new_members(scope)
    figures.bookings_not_collected = _uncollected(scope)
    return figures


LOAN_COLUMNS = (
    "item_id",
    "member_id",
    "place_id",
    "checked_out_at",
    "returned_at",
    "due_date",
    "renewals",
    "return_condition",
)


def _loan_rows(scope: Scope, place_ids: list[int]) -> list[tuple]:
    """Loans checked out in the range, and loans from before it still out at its start.

    Two queries so each can use an index: (place, checked_out_at) for the first, and
    (place, returned_at) for the few long loans that cross the range start.
    """
    begin, after = local_bounds(scope.start, scope.end)
    loans = Loan.objects.filter(place_id__in=place_ids).order_by()
    if scope.category_id is not None:
        loans = loans.filter(item__title__category_id__in=category_ids_under(scope.category_id))
    inside = loans.filter(checked_out_at__gte=begin, checked_out_at__lt=after)
    crossing = loans.filter(checked_out_at__lt=begin).filter(
        Q(returned_at__isnull=True) | Q(returned_at__gte=begin)
    )
    rows = [*inside.values_list(*LOAN_COLUMNS), *crossing.values_list(*LOAN_COLUMNS)]
    # Title, category and value per item in one more query, instead of joining items and
    # titles to every loan row (the joins cost more than the loans at city scale).
    titles = {
        pk: (title, category, value)
        for pk, title, category, value in Item.objects.filter(
            pk__in={r[0] for r in rows}
        ).values_list("pk", "title_id", "title__category_id", "title__replacement_value")
    }
    return [(r[0], r[1], r[2], *titles[r[0]], *r[3:]) for r in rows]


@dataclass
class _Tally:
    per_place: dict[int, Row]
    per_category: dict[int, Row]
    borrowed_items: set[int]
    top_title_ids: list[tuple[int, int]]


def _count_loans(figures: LendingFigures, places: dict, categories: dict) -> _Tally:
    scope, today = figures.scope, figures.today
    rows = _loan_rows(scope, list(places))
    factors = impact_factors_for({r[4] for r in rows})
    # Names and the time zone are looked up once: per-row lookups dominate at city scale.
    tz = timezone.get_current_timezone()
    place_names = {pk: str(place) for pk, place in places.items()}
    category_names = {pk: str(category) for pk, category in categories.items()}
    last_counted = min(scope.end, today)
    per_place: dict[int, Row] = {}
    per_category: dict[int, Row] = {}
    per_month: dict[dt.date, Row] = {}
    borrowers: set[int] = set()
    titles: Counter[int] = Counter()
    borrowed_items: set[int] = set()
    for item, member, place, title, category, value, out_at, back_at, due, renewals, cond in rows:
        out = out_at.astimezone(tz).date()
        back = back_at.astimezone(tz).date() if back_at else None
        last = (back - dt.timedelta(days=1) if back > out else out) if back else today
        days = days_within(out, last, scope.start, last_counted)
        prow = per_place.get(place) or per_place.setdefault(place, Row(place, place_names[place]))
        crow = per_category.get(category) or per_category.setdefault(
            category, Row(category, category_names[category])
        )
        prow.loan_days += days
        crow.loan_days += days
        figures.loan_days += days
        if back is not None and cond in REPAIR_CONDITIONS and scope.start <= back <= scope.end:
            figures.repairs += 1
        if not scope.start <= out <= scope.end:
            continue
        month = out.replace(day=1)
        mrow = per_month.setdefault(month, Row(month, month.strftime("%Y-%m")))
        late = (back > due) if back else today > due
        for row in (prow, crow, mrow):
            row.loans += 1
            row.renewals += renewals
            row.overdue += late
            row.members.add(member)
        figures.loans += 1
        figures.renewals += renewals
        figures.overdue += late
        borrowers.add(member)
        borrowed_items.add(item)
        titles[title] += 1
        if back is not None:
            figures.returned += 1
            figures.returned_days += (back - out).days
        factor = factors.get(category)
        if factor is not None:
            figures.money_saved += factor.money_per_loan(value)
            figures.co2_kg += factor.co2_kg
    figures.borrowers = len(borrowers)
    for row in [*per_place.values(), *per_category.values(), *per_month.values()]:
        row.borrowers, row.members = len(row.members), set()
    figures.months = _all_months(scope, per_month)
    return _Tally(per_place, per_category, borrowed_items, titles.most_common(10))


def _all_months(scope: Scope, per_month: dict[dt.date, Row]) -> list[Row]:
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end:
        months.append(per_month.get(month) or Row(month, month.strftime("%Y-%m")))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _count_items(figures: LendingFigures, places: dict, categories: dict, tally: _Tally) -> None:
    """Items available, item-days per place and category, items never borrowed, top titles."""
    from lending.models import Title

    scope, today = figures.scope, figures.today
    tz = timezone.get_current_timezone()
    per_place, per_category = tally.per_place, tally.per_category
    items = Item.objects.filter(place_id__in=list(places)).order_by("code")
    if scope.category_id is not None:
        items = items.filter(title__category_id__in=category_ids_under(scope.category_id))
    rows = list(
        items.values_list(
            "pk", "code", "place_id", "title__category_id", "status", "acquired_on", "created_at"
        )
    )
    gone_ids = [r[0] for r in rows if r[4] in GONE]
    added_on = {r[0]: r[5] or r[6].astimezone(tz).date() for r in rows}
    # An item lent before it was recorded (history entered later) counts from its first loan.
    late = [pk for pk, day in added_on.items() if day > scope.start]
    first_loans = (
        Loan.objects.filter(item_id__in=late)
        .values("item_id")
        .annotate(first=Min("checked_out_at"))
        .values_list("item_id", "first")
    )
    for pk, first in first_loans:
        added_on[pk] = min(added_on[pk], first.astimezone(tz).date())
    left_on = {
        pk: timezone.localdate(at)
        for pk, at in Event.objects.filter(action="status", item_id__in=gone_ids)
        .values("item_id")
        .annotate(at=Max("at"))
        .values_list("item_id", "at")
    }
    last_day = min(scope.end, today)
    borrowed = tally.borrowed_items
    never: list[tuple[int, str]] = []
    for pk, code, place, category, status, _acquired, _created in rows:
        added = added_on[pk]
        gone = status in GONE
        until = left_on.get(pk, today) - dt.timedelta(days=1) if gone else last_day
        days = days_within(added, until, scope.start, last_day)
        if place not in per_place:
            per_place[place] = Row(place, str(places[place]))
        if category not in per_category:
            per_category[category] = Row(category, str(categories[category]))
        per_place[place].item_days += days
        per_category[category].item_days += days
        figures.item_days += days
        if not gone:
            figures.items_available += 1
            if pk not in borrowed:
                never.append((pk, code))
    figures.places = sorted(per_place.values(), key=lambda r: r.label)
    figures.categories = sorted(per_category.values(), key=lambda r: r.label)
    figures.never_borrowed = len(never)
    sample = dict(never[:20])
    named = (
        Item.objects.filter(pk__in=sample)
        .select_related("title")
        .only("code", "title__name_ko", "title__name_en")
    )
    figures.never_borrowed_sample = [(i.code, i.title.name) for i in named]
    top = tally.top_title_ids
    english = (get_language() or "ko").startswith("en")
    names = {
        pk: (en if english else "") or ko or en
        for pk, ko, en in Title.objects.filter(pk__in=[pk for pk, _ in top]).values_list(
            "pk", "name_ko", "name_en"
        )
    }
    figures.top_titles = [(names[pk], count) for pk, count in top]


def _new_members(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    members = get_user_model().objects.filter(date_joined__gte=begin, date_joined__lt=after)
    if scope.district_id is not None:
        members = members.filter(district_id=scope.district_id)
    return members.count()


def _uncollected(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    bookings = _filtered(Booking.objects.all(), scope, "place", "title__category_id")
    return bookings.filter(status="expired", closed_at__gte=begin, closed_at__lt=after).count()
