"""The catalogue's one FilterSet: the page, the API and the benchmark all search through it.

Declarative, in NetBox's manner: each filter states the field and lookup it filters on, or
names the method that does. The catalogue's filters come in two kinds:

- title filters (`q`, `category`, `available`) narrow the titles;
- copy filters (`place`, `district`, `start`, `end`: `CopyFilterMixin`) narrow the copies that
  count, so "free at Mapo between the 3rd and the 5th" means one copy that is all three.

A slug or id that names nothing is refused (400) with the reason: the reference lists are
checked in memory (lending.reference), so the check costs no query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sharing_city.accounts.models import District
from sharing_city.core import bounds

from . import reference, search, selectors
from .models import Category, Item, Place, Title
from .querysets import ItemQuerySet
from .reference import ListedModelChoiceField

SORTS = [
    ("relevance", _("Best match")),
    ("name", _("Name")),
    ("newest", _("Newest")),
    ("popular", _("Most borrowed")),
]
ORDERINGS = {
    "name": ("name_ko", "pk"),
    "newest": ("-pk",),
    "popular": ("-loan_count", "name_ko", "pk"),  # loan_count is kept by check_out
}
MAX_RANGE_DAYS = 60


def _district_label(district: District) -> str:
    return district.display_name


def _unknown(what: Any) -> dict[str, Any]:
    return {"invalid_choice": what}


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """Choices from the cached reference lists (lending.reference): the catalogue's three
    lists cost no query per page. The queryset stays for the API schema and documentation."""

    field_class = ListedModelChoiceField


class CopyFilterMixin:
    """A filter applied to the copies that count (`CatalogueFilter.copies`), not the titles."""


@extend_schema_field(OpenApiTypes.STR)  # a slug or code; the copies' field, not the title's
class CopyChoiceFilter(CopyFilterMixin, ListedChoiceFilter):
    pass


class CopyDateFilter(CopyFilterMixin, django_filters.DateFilter):
    pass


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
        method="in_category_tree",
        empty_label=_("All categories"),
        error_messages=_unknown(_("There is no category “%(value)s”.")),
    )
    district = CopyChoiceFilter(
        label=_("District"),
        queryset=District.objects.filter(places__is_active=True).distinct().order_by("code"),
        listed=lambda: reference.districts(),
        field_name="place__district",
        to_field_name="code",
        empty_label=_("All districts"),
        error_messages=_unknown(_("There is no district “%(value)s” with a lending place.")),
    )
    place = CopyChoiceFilter(
        label=_("Place"),
        queryset=Place.objects.active().order_by("name_ko"),
        listed=lambda: reference.places(),
        field_name="place",
        to_field_name="slug",
        empty_label=_("All places"),
        error_messages=_unknown(_("There is no open place “%(value)s”.")),
    )
    available = django_filters.BooleanFilter(
        label=_("Available now"), method="with_free_copy", widget=forms.CheckboxInput
    )
    start = CopyDateFilter(
        label=_("Free from"),
        method="free_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = CopyDateFilter(
        label=_("Free until"),
        method="free_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="ordered", empty_label=None
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
        self.query: search.Query | None = None  # the parsed words, once filtered
        self._copies: ItemQuerySet | None = None

    # --- title filters ---

    def search(self, queryset: QuerySet[Title], name: str, value: str) -> QuerySet[Title]:
        self.query = search.parse(value)
        return queryset.matching(self.query)  # type: ignore[attr-defined]

    def in_category_tree(
        self, queryset: QuerySet[Title], name: str, value: Category
    ) -> QuerySet[Title]:
        return queryset.filter(category_id__in=selectors.category_with_descendants(value))

    def with_free_copy(self, queryset: QuerySet[Title], name: str, value: bool) -> QuerySet:
        """Titles with a copy free today among the copies that count (one semi-join, which
        also implies a lendable copy: selectors.catalogue)."""
        return selectors.catalogue(
            queryset, self.copies(), self.today, counts=self.counts, only_free=bool(value)
        )

    def ordered(self, queryset: QuerySet[Title], name: str, value: str) -> QuerySet[Title]:
        if (value or "relevance") == "relevance":
            if self.query is not None and self.query.words:
                return queryset.by_relevance()  # type: ignore[attr-defined]
            value = "name"
        return queryset.order_by(*ORDERINGS[value])

    def plain_filters_version(self) -> str:
        """The reference lists' version when only words (or nothing) were asked for, so the
        filter form renders as for everyone else (cacheable); else ""."""
        chosen = [n for n in self.filters if n != "q" and self.data.get(n) not in (None, "")]
        if chosen or self.form.errors:
            return ""
        return reference.version()

    def did_you_mean(self, page: Iterable[Title]) -> str:
        """The words as the closest titles read them, when nothing shown matches exactly (every
        title shown is a typo match, or none is shown)."""
        if self.query is None or not self.query.suggestion:
            return ""
        if any(getattr(title, "rank", search.RANK_TYPO) != search.RANK_TYPO for title in page):
            return ""
        return self.query.suggestion

    # --- copy filters ---

    def free_from(self, copies: ItemQuerySet, name: str, value: dt.date) -> ItemQuerySet:
        end = self.form.cleaned_data.get("end") or value
        return copies.free_between(value, end + dt.timedelta(days=1), today=self.today)

    def free_until(self, copies: ItemQuerySet, name: str, value: dt.date) -> ItemQuerySet:
        if self.form.cleaned_data.get("start"):
            return copies  # free_from took the whole range
        return copies.free_between(value, value + dt.timedelta(days=1), today=self.today)

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
        """The copies that count: at an open place, narrowed by the copy filters."""
        if self._copies is None:
            copies: ItemQuerySet = Item.objects.filter(place__is_active=True)
            for name, value in self.form.cleaned_data.items():
                found = self.filters[name]
                if isinstance(found, CopyFilterMixin) and value not in (None, ""):
                    copies = found.filter(copies, value)  # type: ignore[attr-defined]
            self._copies = copies
        return self._copies

    def filter_queryset(self, queryset: QuerySet[Title]) -> QuerySet[Title]:
        """Title filters in declaration order, `available` (with a copy among the copies
        that count, free today or not) and `sort` last."""
        data = self.form.cleaned_data
        for name, found in self.filters.items():
            if not isinstance(found, CopyFilterMixin) and name not in ("available", "sort"):
                queryset = found.filter(queryset, data.get(name))
        titles = self.filters["available"].filter(queryset, bool(data.get("available")))
        return self.filters["sort"].filter(titles, data.get("sort") or "relevance")


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number within the id range (a huge or fractional number is a 400,
    not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", bounds.ID_MAX)
        super().__init__(*args, **kwargs)


class ItemFilter(django_filters.FilterSet):
    """Copies: of a title, at a place, or whose title matches words."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    title = IdFilter(field_name="title_id", label=_("Title"))
    place = django_filters.ModelChoiceFilter(
        field_name="place",
        to_field_name="slug",
        queryset=Place.objects.all(),
        label=_("Place"),
        error_messages=_unknown(_("There is no place “%(value)s”.")),
    )

    class Meta:
        model = Item
        fields: list[str] = []

    def search(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return queryset.filter(title__in=Title.objects.matching(value).values("pk"))
