"""An API write checked by the page's own form, so each rule of the input (bounds, one date
after another, a host's age) has one home. The operation's serializer checks the types first
(and documents the body); its values then go to the form as the page would send them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model
from rest_framework.exceptions import ValidationError


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def validated(serializer_class: Any, request: Any) -> dict[str, Any]:
    """The request body checked by an input serializer (400 with the field errors otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def as_form_data(validated: dict[str, Any]) -> dict[str, Any]:
    """A serializer's validated data as a page's POST would carry it (booleans left out when
    false, as an unticked checkbox is)."""
    return {k: _plain(v) for k, v in validated.items() if v is not None and v is not False}


def cleaned(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a 400 `{"code": "invalid", "detail": {field: [...]}}`."""
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data
