"""The catalogue's one FilterSet: the page, the API and the benchmark all search through it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District

from . import reference, selectors
from .models import Category, Item, Place, Title
from .querysets import ItemQuerySet
from .reference import ListedModelChoiceField

SORTS = [
    ("name", _("Name")),
    ("newest", _("Newest")),
    ("popular", _("Most borrowed")),
]
MAX_RANGE_DAYS = 60


def _district_label(district: District) -> str:
    return district.display_name


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """Choices from the cached reference lists (lending.reference): the catalogue's three
    lists cost no query per page. The queryset stays for the API schema and documentation."""

    field_class = ListedModelChoiceField


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=100,
        help_text=_("Words in Korean or English; part of a word is enough."),
    )
    category = ListedChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.order_by("slug"),
        listed=lambda: reference.categories(),
        to_field_name="slug",
        method="in_category",
        empty_label=_("All categories"),
    )
    district = ListedChoiceFilter(
        label=_("District"),
        queryset=District.objects.filter(places__is_active=True).distinct().order_by("code"),
        listed=lambda: reference.districts(),
        to_field_name="code",
        method="noop",
        empty_label=_("All districts"),
    )
    place = ListedChoiceFilter(
        label=_("Place"),
        queryset=Place.objects.active().order_by("name_ko"),
        listed=lambda: reference.places(),
        to_field_name="slug",
        method="noop",
        empty_label=_("All places"),
    )
    available = django_filters.BooleanFilter(
        label=_("Available now"), method="noop", widget=forms.CheckboxInput
    )
    start = django_filters.DateFilter(
        label=_("Free from"), method="noop", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("Free until"), method="noop", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="noop", empty_label=None
    )

    class Meta:
        model = Title
        fields: list[str] = []

    def __init__(
        self, *args: Any, today: dt.date | None = None, counts: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.counts = counts  # False: the page adds copies up itself (selectors.catalogue)
        self.filters["district"].field.label_from_instance = _district_label

    def noop(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied together with the other copy filters in filter_queryset

    def search(self, queryset: QuerySet[Title], name: str, value: str) -> QuerySet[Title]:
        return queryset.matching(value)  # type: ignore[attr-defined]

    def in_category(self, queryset: QuerySet[Title], name: str, value: Category) -> QuerySet:
        return queryset.filter(category_id__in=selectors.category_with_descendants(value))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.form.add_error("end", _("The end date must be on or after the start date."))
        elif start and end and (end - start).days > MAX_RANGE_DAYS:
            self.form.add_error("end", _("Choose at most 60 days."))
        elif (start or end) and (start or end) < self.today:  # type: ignore[operator]
            self.form.add_error("start" if start else "end", _("Choose a date from today."))
        return not self.form.errors

    def copies(self) -> ItemQuerySet:
        """The copies that count under the place, district and date filters."""
        data = self.form.cleaned_data
        items: ItemQuerySet = Item.objects.all()
        if data.get("place"):
            items = items.filter(place=data["place"])
        if data.get("district"):
            items = items.filter(place__district=data["district"])
        items = items.filter(place__is_active=True)
        start, end = data.get("start"), data.get("end")
        if start or end:
            start = start or end
            end = end or start
            items = items.free_between(start, end + dt.timedelta(days=1))
        return items

    def filter_queryset(self, queryset: QuerySet[Title]) -> QuerySet[Title]:
        queryset = super().filter_queryset(queryset)
        copies = self.copies()
        titles = selectors.catalogue(
            queryset,
            copies,
            self.today,
            counts=self.counts,
            only_free=bool(self.form.cleaned_data.get("available")),
        )
        sort = self.form.cleaned_data.get("sort") or "name"
        if sort == "popular":
            return selectors.most_borrowed(titles)
        if sort == "newest":
            return titles.order_by("-pk")
        return titles.order_by("name_ko", "pk")


class ItemFilter(django_filters.FilterSet):
    """Copies: of a title, at a place, or whose title matches words."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    title = django_filters.NumberFilter(field_name="title_id", label=_("Title"))
    place = django_filters.CharFilter(field_name="place__slug", label=_("Place"), max_length=80)

    class Meta:
        model = Item
        fields: list[str] = []

    def search(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return queryset.filter(title__in=Title.objects.matching(value))
