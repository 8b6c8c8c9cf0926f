"""One FilterSet per list, shared by pages, the API and reports."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from lending.models import Place

from .models import Colour, Garment, Style


class GarmentFilter(django_filters.FilterSet):
    # A closet's slug; an unknown one is a 400 with the reason, not an empty list.
    place = django_filters.ModelChoiceFilter(
        field_name="item__place",
        queryset=Place.objects.filter(kind=Place.Kind.CLOSET),
        to_field_name="slug",
        error_messages={"invalid_choice": _("There is no closet with this name.")},
    )
    kind = django_filters.ChoiceFilter(choices=Garment.Kind.choices)
    style = django_filters.ChoiceFilter(choices=Style.choices)
    colour = django_filters.ChoiceFilter(choices=Colour.choices)
    care = django_filters.ChoiceFilter(choices=Garment.Care.choices)

    class Meta:
        model = Garment
        fields = ["place", "kind", "style", "colour", "care"]
