from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lending.api.serializers import TitleRefField, place_slug_field
from lending.models import Booking, Item
from sharing_city.core import bounds
from voice.models import Answer, Ask, Kind
from voice.services import SETTABLE


class RefField(serializers.PrimaryKeyRelatedField):
    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(queryset=model.objects.all(), **kwargs)


extend_schema_field({"type": "integer", "minimum": 1})(RefField)


class AnswerSerializer(serializers.ModelSerializer):
    # Answers speak for the place: the staff member's name is not published.
    class Meta:
        model = Answer
        fields = ["id", "text", "created_at"]


class AskSerializer(serializers.ModelSerializer):
    """An ask as anyone signed in sees it: no asker's name."""

    place: serializers.Field = serializers.SlugRelatedField(
        source="routed_place", slug_field="slug", read_only=True, allow_null=True
    )
    district: serializers.Field = serializers.SlugRelatedField(
        source="routed_district", slug_field="code", read_only=True
    )
    supporters = serializers.IntegerField(source="supporter_count", read_only=True, default=0)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Ask
        fields = [
            "id",
            "kind",
            "text",
            "status",
            "reason",
            "title",
            "place",
            "district",
            "merged_into",
            "created_at",
            "first_answered_at",
            "closed_at",
            "supporters",
            "answers",
        ]
        read_only_fields = fields


class AskInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    text = serializers.CharField(max_length=bounds.ASK_CHARS)
    title = TitleRefField(required=False, allow_null=True)
    place = place_slug_field(required=False, allow_null=True)
    item = RefField(Item, required=False, allow_null=True)
    booking = RefField(Booking, required=False, allow_null=True)


class AnswerInput(serializers.Serializer):
    text = serializers.CharField(max_length=bounds.VOICE_ANSWER_CHARS)


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in SETTABLE])
    reason = serializers.CharField(
        max_length=bounds.VOICE_REASON_CHARS, required=False, allow_blank=True, default=""
    )
    title = TitleRefField(required=False, allow_null=True)


class MergeInput(serializers.Serializer):
    into = RefField(Ask)


class MeTooSerializer(serializers.Serializer):
    ask = serializers.IntegerField(source="ask_id")
    created_at = serializers.DateTimeField()
