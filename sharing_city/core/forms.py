"""Form conventions shared by the apps.

``NamedEmptyChoices`` replaces Django's ``---------`` empty choice with words a person reads:
"Choose…" when the field is required, "None" when it may stay empty. A field that names its own
empty choice (``empty_label=`` or an explicit ``("", …)`` choice) keeps it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from .collation import name_order

DASH = BLANK_CHOICE_DASH[0][1]


def empty_choice_label(field: forms.Field) -> Any:
    return _("Choose…") if field.required else _("None")


def name_empty_choices(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASH:
                field.empty_label = empty_choice_label(field)
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] == "" and choices[0][1] == DASH:
                field.choices = [("", empty_choice_label(field)), *choices[1:]]


class NamedEmptyChoices:
    """Mixin (first base) for forms whose selects would otherwise start with ``---------``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_empty_choices(self)  # type: ignore[arg-type]


class ByNameChoiceField(forms.ModelChoiceField):
    """A select of things with ``name_ko`` and ``name_en``, listed by the reader's name for them
    (sharing_city/core/collation.py), in the language of the page being shown."""

    def _get_ordered_queryset(self) -> Any:
        queryset = self._queryset  # type: ignore[attr-defined]
        return None if queryset is None else queryset.order_by(*name_order())

    queryset = property(
        _get_ordered_queryset,
        forms.ModelChoiceField._set_queryset,  # type: ignore[attr-defined]
    )
