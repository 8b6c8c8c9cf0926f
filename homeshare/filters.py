"""The coordinator's lists: a FilterSet with its field and lookup stated. A district that is
unknown, or not one the reader coordinates, is a 400 with the reason (not an empty page)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District

from .access import coordinated_districts


class CoordinatorFilter(django_filters.FilterSet):
    # The choices are the reader's own districts (set per reader below), named by code.
    district = django_filters.ChoiceFilter(
        field_name="code",
        lookup_expr="exact",
        choices=[],
        label=_("district"),
        empty_label=_("All my districts"),
    )

    class Meta:
        model = District
        fields = ["district"]

    def __init__(self, data: Any, *, user: Any) -> None:
        districts = coordinated_districts(user)
        super().__init__(data, queryset=districts)
        self.filters["district"].extra["choices"] = [(d.code, str(d)) for d in districts]
