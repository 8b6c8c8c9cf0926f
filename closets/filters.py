"""One FilterSet per list, shared by pages, the API and reports."""

from __future__ import annotations

import django_filters

from .models import Colour, Garment, Style


class GarmentFilter(django_filters.FilterSet):
    place = django_filters.CharFilter(field_name="item__place__slug")
    kind = django_filters.ChoiceFilter(choices=Garment.Kind.choices)
    style = django_filters.ChoiceFilter(choices=Style.choices)
    colour = django_filters.ChoiceFilter(choices=Colour.choices)
    care = django_filters.ChoiceFilter(choices=Garment.Care.choices)

    class Meta:
        model = Garment
        fields = ["place", "kind", "style", "colour", "care"]
