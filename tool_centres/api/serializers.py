"""API shapes of the desk."""

from __future__ import annotations

from rest_framework import serializers

from lending.api.serializers import DEPOSIT_KEPT
from lending.models import Loan, Place

from ..models import RepairTicket


class PlaceSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    name = serializers.CharField()

    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "district"]


BACKDATED_HELP = (
    "When it really happened, for a desk that was offline; needs a reason, and may not be in "
    "the future (nor, for a return, before the loan began)."
)


class CheckOutInput(serializers.Serializer):
    member_number = serializers.CharField(
        max_length=20, help_text="A member number (SC...), a phone number or a name."
    )
    codes = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50
    )
    backdated_to = serializers.DateTimeField(
        required=False, allow_null=True, help_text=BACKDATED_HELP
    )
    override_block = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CheckInInput(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    condition = serializers.ChoiceField(choices=Loan.ReturnCondition.choices, default="ok")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    backdated_to = serializers.DateTimeField(
        required=False, allow_null=True, help_text=BACKDATED_HELP
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    deposit_kept = serializers.DecimalField(**DEPOSIT_KEPT)
    deposit_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class LoanLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    ok = serializers.BooleanField()
    loan = serializers.IntegerField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    error_code = serializers.CharField(allow_null=True)
    detail = serializers.CharField(allow_null=True)


class CheckInResultSerializer(serializers.Serializer):
    loan = serializers.IntegerField()
    outcome = serializers.CharField()
    repair_ticket = serializers.IntegerField(allow_null=True)
    put_aside_for_booking = serializers.IntegerField(allow_null=True)


class RepairTicketSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")

    class Meta:
        model = RepairTicket
        fields = ["id", "item", "status", "problem", "note", "opened_at"]
