"""Serializer fields shared by the programmes' APIs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference by code or slug whose format is checked before the lookup.

    The validators run on the text the caller sent (a malformed code is a 400 that says what
    a code looks like, without a query), and drf-spectacular turns the same validators into
    the schema's pattern and maxLength, so a fuzzer generates codes the API would accept.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            super().run_validators(data)
        return super().to_internal_value(data)

    def run_validators(self, value: Any) -> None:
        """Already run on the text in to_internal_value; `value` is the row by now."""
