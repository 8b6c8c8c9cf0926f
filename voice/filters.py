"""The one FilterSet of asks: the residents' list, the staff inbox and the API share it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from lending import reference
from lending.filters import ListedChoiceFilter
from lending.models import Place

from .models import Ask, Kind, Status


def _unknown(what: Any) -> dict[str, Any]:
    return {"invalid_choice": what}


class AskFilter(django_filters.FilterSet):
    place = ListedChoiceFilter(
        label=_("Place"),
        queryset=Place.objects.active().order_by("name_ko"),
        listed=lambda: reference.places(),
        field_name="routed_place",
        to_field_name="slug",
        empty_label=_("All places"),
        error_messages=_unknown(_("There is no open place “%(value)s”.")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="kind", choices=Kind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="status",
        choices=Status.choices,
        empty_label=_("All statuses"),
    )

    class Meta:
        model = Ask
        fields = ["place", "kind", "status"]
