"""The access log's FilterSet (the staff page): each filter states its field and lookup; an
unknown kind or a malformed date is a 400 with the reason, not an empty list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AccessKind, AccessLog


class AccessLogFilter(django_filters.FilterSet):
    viewer = django_filters.CharFilter(
        field_name="viewer__member_number", lookup_expr="iexact", label=_("Viewer's member number")
    )
    member = django_filters.CharFilter(
        field_name="member__member_number", lookup_expr="iexact", label=_("Member number")
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=AccessKind.choices, label=_("what")
    )
    since = django_filters.DateFilter(
        field_name="at__date", lookup_expr="gte", label=_("Seen from")
    )
    until = django_filters.DateFilter(
        field_name="at__date", lookup_expr="lte", label=_("Seen until")
    )

    class Meta:
        model = AccessLog
        fields = ["viewer", "member", "kind", "since", "until"]
