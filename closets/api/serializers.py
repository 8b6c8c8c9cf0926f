from __future__ import annotations

from typing import Any

from rest_framework import serializers

from closets.models import CoachingSession, FittingSlot, FittingVisit, Garment, Programme, Rental
from sharing_city.core import bounds


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


class FittingListSerializer(VisitSerializer):
    """The caller's fittings, soonest first."""


class RentalSerializer(serializers.ModelSerializer):
    place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    programme: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    garments = serializers.SerializerMethodField()

    class Meta:
        model = Rental
        fields = [
            "id",
            "place",
            "programme",
            "rented_at",
            "due_date",
            "returned_at",
            "fit_feedback",
            "fit_note",
            "outcome",
            "garments",
        ]

    def get_garments(self, rental: Rental) -> list[str]:
        return [line.garment.code for line in rental.lines.select_related("garment__item")]


class RentalExtendInput(serializers.Serializer):
    # closets.forms.ExtendForm: the same bounds as the page.
    days = serializers.IntegerField(min_value=1, max_value=30)


class OutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Rental.Outcome.choices)


class FeedbackInput(serializers.Serializer):
    fit_feedback = serializers.ChoiceField(choices=Rental.Feedback.choices)
    fit_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


RETURN_CARE = [Garment.Care.LAUNDRY, Garment.Care.REPAIR, Garment.Care.AVAILABLE]
RETURN_CARE_CHOICES = [(c.value, c.label) for c in RETURN_CARE]


class ReturnInput(serializers.Serializer):
    garments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=bounds.ID_MAX),
        min_length=1,
        max_length=50,
    )
    care = serializers.ChoiceField(choices=RETURN_CARE_CHOICES)


class RentInput(serializers.Serializer):
    codes = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, max_length=50
    )
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())


class VisitStateInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=FittingVisit.State.choices)


class CareInput(serializers.Serializer):
    care = serializers.ChoiceField(choices=Garment.Care.choices)


class SlotsCreated(serializers.Serializer):
    created = serializers.IntegerField()
