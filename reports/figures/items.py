"""The collection's figures: items available, item-days, items never borrowed, new members,
bookings not collected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from lending.models import Booking, Event, Item, Loan

from .common import (
    GONE,
    DaysBetween,
    LendingFigures,
    Row,
    Scope,
    Tally,
    category_ids_under,
    filtered,
    local_bounds,
)


def count_items(figures: LendingFigures, places: dict, categories: dict, tally: Tally) -> None:
    """Items available, item-days per place and category, items never borrowed, top titles."""
    from lending.models import Title

    scope, today = figures.scope, figures.today
    per_place, per_category = tally.per_place, tally.per_category
    items = Item.objects.filter(place_id__in=list(places)).order_by("code")
    if scope.category_id is not None:
        items = items.filter(title__category_id__in=category_ids_under(scope.category_id))
    last_day = min(scope.end, today)
    groups = (
        items.order_by()
        .annotate(days=item_days(scope, today, last_day))
        .values("place_id", "title__category_id")
        .annotate(days=Sum("days"), available=Count("pk", filter=~Q(status__in=GONE)))
        .values_list("place_id", "title__category_id", "days", "available")
    )
    for place, category, days, available in groups:
        if place not in per_place:
            per_place[place] = Row(place, str(places[place]))
        if category not in per_category:
            per_category[category] = Row(category, str(categories[category]))
        per_place[place].item_days += days
        per_category[category].item_days += days
        figures.item_days += days
        figures.items_available += available
    figures.places = sorted(per_place.values(), key=lambda r: r.label)
    figures.categories = sorted(per_category.values(), key=lambda r: r.label)
    begin, after = local_bounds(scope.start, scope.end)
    borrowed = Loan.objects.filter(
        item_id=OuterRef("pk"),
        place_id__in=list(places),
        checked_out_at__gte=begin,
        checked_out_at__lt=after,
    )
    never = items.exclude(status__in=GONE).filter(~Exists(borrowed))
    if tally.never_borrowed is None:
        figures.never_borrowed = never.count()
    else:
        figures.never_borrowed, first_ids = tally.never_borrowed
        never = items.filter(pk__in=first_ids)
    named = never.select_related("title").only("code", "title__name_ko", "title__name_en")[:20]
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


def item_days(scope: Scope, today: dt.date, last_day: dt.date) -> Any:
    """An item's days in the collection within [range start, last_day], in the database.

    From the day it was added (acquired on, else created; its first check-out if earlier:
    history entered later) to the day before it was retired or went missing, else last_day.
    """
    tz = timezone.get_current_timezone()
    date: DateField = DateField()
    added = Coalesce("acquired_on", TruncDate("created_at", tzinfo=tz), output_field=date)
    first_loan = Loan.objects.filter(item_id=OuterRef("pk")).order_by().values("item_id")
    first_out = TruncDate(
        Subquery(first_loan.annotate(first=Min("checked_out_at")).values("first")), tzinfo=tz
    )
    # Only an item added after the range start can be moved earlier by its first loan.
    from_day = Case(
        When(
            Q(acquired_on__gt=scope.start)
            | Q(
                acquired_on__isnull=True, created_at__gte=local_bounds(scope.start, scope.start)[1]
            ),
            then=Least(added, Coalesce(first_out, added), output_field=date),
        ),
        default=added,
        output_field=date,
    )
    status_changes = Event.objects.filter(item_id=OuterRef("pk"), action="status").order_by()
    left = TruncDate(
        Subquery(status_changes.values("item_id").annotate(at=Max("at")).values("at")), tzinfo=tz
    )
    after_last = Value(last_day + dt.timedelta(days=1), output_field=date)
    # Exclusive end: the day it left (no record of when: today), else the day after last_day.
    until = Case(
        When(status__in=GONE, then=Coalesce(left, Value(today, output_field=date))),
        default=after_last,
        output_field=date,
    )
    first = Greatest(from_day, Value(scope.start, output_field=date), output_field=date)
    days = DaysBetween(Least(until, after_last, output_field=date), first)
    return Greatest(days, Value(0), output_field=IntegerField())


def new_members(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    members = get_user_model().objects.filter(date_joined__gte=begin, date_joined__lt=after)
    if scope.district_id is not None:
        members = members.filter(district_id=scope.district_id)
    return members.count()


def uncollected(scope: Scope) -> int:
    begin, after = local_bounds(scope.start, scope.end)
    bookings = filtered(Booking.objects.all(), scope, "place", "title__category_id")
    return bookings.filter(status="expired", closed_at__gte=begin, closed_at__lt=after).count()
