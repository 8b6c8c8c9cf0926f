"""The failed-notices list's FilterSet: each filter states its field and lookup; an unknown
kind or channel is a 400 with the reason, not an empty list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .kinds import kind_choices
from .models import Channel, Notice


class FailedNoticeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=kind_choices, label=_("kind")
    )
    channel = django_filters.ChoiceFilter(
        field_name="channel", lookup_expr="exact", choices=Channel.choices, label=_("channel")
    )

    class Meta:
        model = Notice
        fields = ["kind", "channel"]
