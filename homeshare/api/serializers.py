"""API shapes. The host's address and phone appear only where the reader may see them:
the host, the district's coordinator, and the student once both sides have accepted."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, validate_slug
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sharing_city.accounts.models import District
from sharing_city.core import bounds
from sharing_city.core.api.fields import CodeRelatedField

from ..access import may_see_host_contact
from ..explain import describe_exclusion, describe_reason
from ..models import (
    Candidate,
    CheckKind,
    CheckMethod,
    CheckOutcome,
    HostApplication,
    Match,
    MatchingRun,
    ScreeningCheck,
    StudentApplication,
)

# Statuses as plain strings: one enum per model would collide by name in the OpenAPI schema.
STATUS_HELP = "draft, submitted, approved, rejected or withdrawn"


class HostApplicationSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = HostApplication
        fields = [
            "id",
            "status",
            "district",
            "address",
            "contact_phone",
            "rooms",
            "room_size_m2",
            "furnished",
            "own_bathroom",
            "floor",
            "rent",
            "help_tasks",
            "help_hours",
            "help_times",
            "smoking_household",
            "has_pets",
            "student_gender",
            "quiet_home",
            "meals",
            "languages",
            "interests",
            "available_from",
            "available_until",
            "min_term_months",
            "about",
            "submitted_at",
            "decision_reason",
        ]
        read_only_fields = fields


class StudentApplicationSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    university = serializers.CharField(source="university.code")

    class Meta:
        model = StudentApplication
        fields = [
            "id",
            "status",
            "district",
            "university",
            "gender",
            "budget",
            "max_commute",
            "help_tasks",
            "help_hours",
            "available_times",
            "smokes",
            "pet_allergy",
            "late_nights",
            "meals",
            "languages",
            "interests",
            "available_from",
            "available_until",
            "about",
            "submitted_at",
            "decision_reason",
        ]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    """What a student sees of a home before both accept: no address, no phone, no name."""

    district = serializers.CharField(source="district.code")

    class Meta:
        model = HostApplication
        fields = [
            "id",
            "district",
            "room_size_m2",
            "furnished",
            "own_bathroom",
            "floor",
            "rent",
            "help_tasks",
            "help_hours",
            "smoking_household",
            "has_pets",
            "about",
        ]
        read_only_fields = fields


class HostContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="applicant.full_name")
    address = serializers.CharField()
    phone = serializers.CharField(source="contact_phone")


class MatchSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="proposed, accepted, declined, cancelled, agreed or ended"
    )
    host_response = serializers.CharField(read_only=True, help_text="pending, accepted, declined")
    student_response = serializers.CharField(
        read_only=True, help_text="pending, accepted, declined"
    )
    room = serializers.SerializerMethodField()
    host_contact = serializers.SerializerMethodField()
    student = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "status",
            "score",
            "reasons",
            "room",
            "host_contact",
            "student",
            "host_response",
            "student_response",
            "meeting_on",
            "proposed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RoomSerializer)
    def get_room(self, match: Match) -> dict[str, Any]:
        return RoomSerializer(match.host_application).data

    @extend_schema_field(HostContactSerializer(allow_null=True))
    def get_host_contact(self, match: Match) -> dict[str, Any] | None:
        if not may_see_host_contact(self.context["request"].user, match):
            return None
        return HostContactSerializer(match.host_application).data

    @extend_schema_field(serializers.DictField())
    def get_student(self, match: Match) -> dict[str, Any]:
        app = match.student_application
        return {
            "id": app.pk,
            "name": app.applicant.full_name,
            "university": app.university.code,
            "help_tasks": app.help_tasks,
            "help_hours": app.help_hours,
            "languages": app.languages,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, match: Match) -> list[str]:
        return [describe_reason(r) for r in match.reasons]


class RespondSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class RunInputSerializer(serializers.Serializer):
    # Left out or null: the whole city, which only a city admin may run (the service decides).
    district = CodeRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_slug, MaxLengthValidator(20)],
        help_text="A district's code; leave it out for the whole city (city admins only).",
    )
    term_start = serializers.DateField(validators=[bounds.AGREEMENT])
    term_end = serializers.DateField(validators=[bounds.AGREEMENT])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["term_end"] <= attrs["term_start"]:
            raise serializers.ValidationError({"term_end": _("The term must end after it starts.")})
        return attrs


class CandidateSerializer(serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "host_application",
            "student_application",
            "score",
            "host_score",
            "student_score",
            "suggested",
            "reasons",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, candidate: Candidate) -> list[str]:
        return [describe_reason(r) for r in candidate.reasons]


class RunSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    candidates = CandidateSerializer(many=True, read_only=True)
    excluded = serializers.SerializerMethodField()

    class Meta:
        model = MatchingRun
        fields = [
            "id",
            "status",
            "district",
            "term_start",
            "term_end",
            "run_at",
            "started_at",
            "finished_at",
            "error",
            "hosts_count",
            "students_count",
            "duration_ms",
            "total_score",
            "excluded",
            "candidates",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.DictField()))
    def get_excluded(self, run: MatchingRun) -> dict[str, dict[str, Any]]:
        return {
            code: {"count": count, "reason": describe_exclusion(code)}
            for code, count in run.excluded_by_reason.items()
        }


class ProposeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class CheckInputSerializer(serializers.Serializer):
    """One reference, ID or background check the coordinator made (as the review page's form)."""

    kind = serializers.ChoiceField(choices=CheckKind.choices)
    referee_name = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default=""
    )
    referee_relation = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default=""
    )
    checked_on = serializers.DateField(validators=[bounds.DONE])
    method = serializers.ChoiceField(choices=CheckMethod.choices)
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningCheck
        fields = [
            "id",
            "kind",
            "referee_name",
            "referee_relation",
            "checked_on",
            "method",
            "outcome",
            "notes",
            "recorded_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class DecisionResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    decision_reason = serializers.CharField()
