"""Small reference lists that most catalogue, item and desk requests read: the category tree,
and the catalogue filter's categories, districts and places. They are kept in the shared cache
(Redis in production: every web process sees the same entry) so a page does not query them on
each request, and forms render their choices from memory.

Saving or deleting a category, place or district drops the entry (signals, connected in
apps.ready), so an edit shows on the next request in every process. A bulk `update()` skips
signals: such a change shows within TTL seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator

from sharing_city.accounts.models import District
from sharing_city.core.collation import name_key

from .models import Category, Place

PREFIX = "lending:reference:v1:"
TTL = 300


def _cached(name: str, load: Callable[[], Any]) -> Any:
    """One list per key, so a cold cache costs each page only the query it used to make."""
    found = cache.get(PREFIX + name)
    if found is None:
        found = load()
        cache.set(PREFIX + name, found, TTL)
    return found


def category_parents() -> dict[int, int | None]:
    """Category id -> its parent's id: the whole tree, for rules and category filters."""
    return _cached(  # type: ignore[no-any-return]
        "parents", lambda: dict(Category.objects.values_list("pk", "parent_id"))
    )


def categories() -> list[Category]:
    """Categories by the reader's name for them (sharing_city/core/collation.py)."""
    listed: list[Category] = _cached("categories", lambda: list(Category.objects.order_by("slug")))
    return sorted(listed, key=lambda category: name_key(category.name))


def districts() -> list[District]:
    """Districts with an active place, by code."""
    return _cached(  # type: ignore[no-any-return]
        "districts",
        lambda: list(District.objects.filter(places__is_active=True).distinct().order_by("code")),
    )


def places() -> list[Place]:
    """Active places by Korean name (the filter form's choices)."""
    return _cached("places", lambda: list(Place.objects.active().order_by("name_ko")))  # type: ignore[no-any-return]


def place_names() -> dict[int, str]:
    """Active place id -> its name in the reader's language (the result cards)."""
    return {place.pk: place.name for place in places()}


def version() -> str:
    """A token that changes whenever a list does: the key of what is rendered from them (the
    catalogue's cached filter form, per language)."""
    return str(cache.get_or_set(PREFIX + "version", lambda: uuid.uuid4().hex[:12], None))


def forget(**_kwargs: Any) -> None:
    """Signal receiver: a category, place or district changed."""
    names = ("parents", "categories", "districts", "places", "version")
    cache.delete_many([PREFIX + name for name in names])


class _ListedIterator(ModelChoiceIterator):
    field: ListedModelChoiceField

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.listed()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.listed())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over model instances already in memory (`listed()`): rendering the
    choices and cleaning a value need no query (the stock field queries for both)."""

    iterator = _ListedIterator

    def __init__(self, *args: Any, listed: Callable[[], list[Any]], **kwargs: Any) -> None:
        self.listed = listed
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> ListedModelChoiceField:
        result: ListedModelChoiceField = super().__deepcopy__(memo)  # type: ignore[misc]
        result.widget.choices = result.choices  # iterate the copy's list, not the class's
        return result

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.listed():
            if str(getattr(obj, key)) == str(value):
                return obj  # type: ignore[no-any-return]
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )
