"""The desk's lists: one FilterSet each, every filter with its field and lookup stated. An
unknown status or place is a 400 with the reason, not an empty list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lending.models import Item, Place, Title

from .models import Transfer


def _place_by_slug(field_name: str, label: Any) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        lookup_expr="exact",
        queryset=Place.objects.all(),
        to_field_name="slug",
        label=label,
    )


class TransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Transfer.Status.choices, label=_("status")
    )
    from_place = _place_by_slug("from_place", _("From place"))
    to_place = _place_by_slug("to_place", _("To place"))

    class Meta:
        model = Transfer
        fields = ["status", "from_place", "to_place"]


class InventoryFilter(django_filters.FilterSet):
    """A place's items: by code or title words (the catalogue's matching), and by status."""

    q = django_filters.CharFilter(
        method="search", label=_("Find by code or name"), max_length=100, widget=forms.TextInput
    )
    status = django_filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Item.Status.choices, label=_("Status")
    )

    class Meta:
        model = Item
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        if not value.strip():
            return queryset
        titles = Title.objects.matching(value).values("pk")
        return queryset.filter(Q(code__icontains=value.strip()) | Q(title__in=titles))
