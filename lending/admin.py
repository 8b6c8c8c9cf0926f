"""Django admin for the lending engine: reference data is editable, the trail is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    Category,
    Closure,
    Event,
    Item,
    Kit,
    LendingRule,
    OpeningHours,
    Place,
    PlaceRole,
    Tip,
    Title,
    TitlePhoto,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class PlaceRoleInline(admin.TabularInline):
    model = PlaceRole
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active"]
    search_fields = ["name_ko", "name_en", "slug"]
    inlines = [OpeningHoursInline, ClosureInline, PlaceRoleInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ko", "name_en", "parent"]
    search_fields = ["slug", "name_ko", "name_en"]


@admin.register(LendingRule)
class LendingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "place", "loan_days", "renewal_limit", "max_items_per_member"]
    list_filter = ["place"]


class TitlePhotoInline(admin.TabularInline):
    model = TitlePhoto
    extra = 0
    readonly_fields = ["thumbnail"]


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "category", "author", "isbn"]
    list_filter = ["category"]
    search_fields = ["name_ko", "name_en", "author", "isbn"]
    inlines = [TitlePhotoInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "place", "status", "condition"]
    list_filter = ["status", "place"]
    search_fields = ["code", "title__name_ko", "title__name_en"]
    raw_id_fields = ["title"]
    # Status changes go through the desk so they leave an event row.
    readonly_fields = ["status"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "member", "place", "item"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Kit)
class KitAdmin(admin.ModelAdmin):
    """A place's staff publish kits here: a name, the place, the titles lent together."""

    list_display = ["name_ko", "name_en", "place", "published"]
    list_filter = ["published", "place"]
    filter_horizontal = ["titles"]
    search_fields = ["name_ko", "name_en"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["text", "title", "place", "created_at", "hidden_at"]
    list_filter = ["hidden_at", "place"]
    raw_id_fields = ["title", "author", "hidden_by"]
    readonly_fields = ["created_at"]
