"""Admin: city admins search the access log (who looked at whose personal data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .access_log import may_read_access_log
from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "viewer", "viewer_role", "where", "member", "kind", "object_id"]
    list_filter = ["kind", "viewer_role", ("at", admin.DateFieldListFilter)]
    search_fields = [
        "viewer__username",
        "viewer__full_name",
        "viewer__member_number",
        "member__username",
        "member__full_name",
        "member__member_number",
    ]
    date_hierarchy = "at"
    list_select_related = ["viewer", "member"]

    # A record of what happened: read-only for everyone, and readable by city admins only
    # (district staff with admin access must not search who looked at whom city-wide).
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read_access_log(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read_access_log(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
