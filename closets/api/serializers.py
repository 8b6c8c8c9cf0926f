from __future__ import annotations

from typing import Any

from rest_framework import serializers

from closets.models import CoachingSession, FittingSlot, FittingVisit, Garment


class GarmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code")
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="item.place", slug_field="slug", read_only=True
    )
    measurements = serializers.SerializerMethodField()

    class Meta:
        model = Garment
        fields = ["id", "code", "place", "kind", "colour", "style", "care", "measurements"]

    def get_measurements(self, garment: Garment) -> dict[str, int]:
        return garment.measured()


class SuggestionSerializer(serializers.Serializer):
    garments = serializers.SerializerMethodField()
    error = serializers.IntegerField()
    colour_match = serializers.BooleanField()
    reasons = serializers.SerializerMethodField()

    def get_garments(self, suggestion: Any) -> list[str]:
        return [g.code for g in suggestion.garments]

    def get_reasons(self, suggestion: Any) -> list[str]:
        return suggestion.reasons()


class RecommendationSerializer(serializers.Serializer):
    body = serializers.DictField(child=serializers.IntegerField())
    estimated = serializers.ListField(child=serializers.CharField())
    suits = SuggestionSerializer(many=True)
    garments = SuggestionSerializer(many=True)


class BookFittingInput(serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=FittingSlot.objects.all())
    coaching = serializers.PrimaryKeyRelatedField(
        queryset=CoachingSession.objects.all(), required=False, allow_null=True
    )


class VisitSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="slot.place", slug_field="slug", read_only=True
    )

    class Meta:
        model = FittingVisit
        fields = ["id", "state", "starts_at", "place"]
