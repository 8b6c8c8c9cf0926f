"""The desk's lists: one FilterSet each, every filter with its field and lookup stated. An
unknown status or place is a 400 with the reason, not an empty list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from lending.models import Place

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
