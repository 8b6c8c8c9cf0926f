"""Shapes of the lending API: read serializers for lists, input serializers for each write."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, RegexValidator, validate_slug
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lending.models import (
    ITEM_CODE_VALIDATOR,
    Booking,
    Item,
    Kit,
    Loan,
    Place,
    Tip,
    TipMark,
    Title,
    TitleList,
)
from sharing_city.accounts.models import MEMBER_NUMBER_PATTERN, User
from sharing_city.core import bounds
from sharing_city.core.api.fields import CodeRelatedField
from sharing_city.core.api.serializers import ErrorSerializer

MEMBER_NUMBER_VALIDATOR = RegexValidator(
    MEMBER_NUMBER_PATTERN, _("A member number is SC and digits, as on the card: SC012345678.")
)


class PlaceBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Place
        fields = ["id", "slug", "name", "kind"]


class TitleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    category: serializers.RelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    copies = serializers.IntegerField(read_only=True)
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = Title
        fields = [
            "id",
            "name",
            "name_ko",
            "name_en",
            "category",
            "author",
            "publisher",
            "year",
            "isbn",
            "copies",
            "available",
        ]


class ItemSerializer(serializers.ModelSerializer):
    title: serializers.RelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)
    place = PlaceBriefSerializer(read_only=True)
    borrow_status = serializers.ChoiceField(
        choices=["available", "booked", "on_loan", "overdue", "unavailable"], read_only=True
    )

    class Meta:
        model = Item
        fields = ["id", "code", "title", "title_name", "place", "status", "borrow_status"]


def item_code_field(**kwargs: Any) -> CodeRelatedField:
    return CodeRelatedField(
        slug_field="code",
        queryset=Item.objects.all(),
        validators=[ITEM_CODE_VALIDATOR, MaxLengthValidator(32)],
        **kwargs,
    )


def place_slug_field(**kwargs: Any) -> CodeRelatedField:
    return CodeRelatedField(
        slug_field="slug",
        queryset=Place.objects.all(),
        validators=[validate_slug, MaxLengthValidator(80)],
        **kwargs,
    )


class TitleRefField(serializers.PrimaryKeyRelatedField):
    """A title by id; ids start at 1 (documented, so the fuzzer does not waste cases on 0)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Title.objects.all(), **kwargs)


extend_schema_field({"type": "integer", "minimum": 1})(TitleRefField)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    free = serializers.IntegerField()
    total = serializers.IntegerField()
    free_codes = serializers.ListField(child=serializers.CharField())


class BookingSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="title.name", read_only=True)
    # A queue hold has no copy until one comes back for it: null, and the schema says so.
    item: serializers.RelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    place = PlaceBriefSerializer(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "title",
            "title_name",
            "item",
            "place",
            "status",
            "start_date",
            "end_date",
            "pickup_deadline",
            "created_at",
        ]
        read_only_fields = fields


class LoanSerializer(serializers.ModelSerializer):
    item: serializers.RelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = serializers.IntegerField(source="item.title_id", read_only=True)
    title_name = serializers.CharField(source="item.title.name", read_only=True)
    place = PlaceBriefSerializer(read_only=True)
    renewal_refusal = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = [
            "id",
            "item",
            "title",
            "title_name",
            "place",
            "checked_out_at",
            "due_date",
            "renewals",
            "returned_at",
            "renewal_refusal",
        ]
        read_only_fields = fields

    @extend_schema_field(ErrorSerializer(allow_null=True))
    def get_renewal_refusal(self, loan: Loan) -> dict[str, str] | None:
        refusals = self.context.get("refusals", {})
        refusal = refusals.get(loan.pk)
        return None if refusal is None else {"code": refusal.code, "detail": str(refusal.message)}


class BookingInput(serializers.Serializer):
    title = TitleRefField()
    start = serializers.DateField()
    end = serializers.DateField()
    item = item_code_field(required=False, allow_null=True)
    place = place_slug_field(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {"end": _("The end date must be on or after the start date.")}
            )
        item = attrs.get("item")
        if item is not None and item.title_id != attrs["title"].pk:
            raise serializers.ValidationError({"item": _("This copy is of another title.")})
        return attrs


class QueueHoldInput(serializers.Serializer):
    title = TitleRefField()
    place = place_slug_field()


class LoanCheckOutInput(serializers.Serializer):
    item = item_code_field()
    member = CodeRelatedField(
        slug_field="member_number",
        queryset=User.objects.filter(is_active=True),
        validators=[MEMBER_NUMBER_VALIDATOR, MaxLengthValidator(20)],
    )
    # The new return date the volunteer agreed to when the booked one cannot be kept
    # (the refusal due_date_changed says which date).
    confirm_due = serializers.DateField(required=False, allow_null=True)


# What a desk keeps of a deposit at check-in (₩, whole); the service refuses more than is held.
DEPOSIT_KEPT: dict = {
    "max_digits": 10,
    "decimal_places": 0,
    "min_value": 0,
    "max_value": bounds.DEPOSIT.high,
    "required": False,
    "default": 0,
}


class LoanCheckInInput(serializers.Serializer):
    item = item_code_field()
    condition = serializers.ChoiceField(
        choices=Loan.ReturnCondition.choices, default=Loan.ReturnCondition.OK
    )
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    deposit_kept = serializers.DecimalField(**DEPOSIT_KEPT)
    deposit_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class TipSerializer(serializers.ModelSerializer):
    # Tips are unsigned: the borrower's name stays with the place.
    helpful = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Tip
        fields = ["id", "text", "created_at", "helpful"]


class TipInput(serializers.Serializer):
    text = serializers.CharField(max_length=bounds.TIP_CHARS, trim_whitespace=True)


class TipMarkInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TipMark.Kind.choices)


class TipMarkSerializer(serializers.Serializer):
    tip = serializers.IntegerField(source="tip_id")
    kind = serializers.CharField()


class TitleListSerializer(serializers.ModelSerializer):
    titles: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TitleList
        fields = ["id", "name", "titles", "created_at"]


class SaveToListInput(serializers.Serializer):
    title = serializers.PrimaryKeyRelatedField(queryset=Title.objects.all())
    name = serializers.CharField(max_length=bounds.LIST_NAME_CHARS, trim_whitespace=True)


class KitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    place = PlaceBriefSerializer(read_only=True)
    titles: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Kit
        fields = ["id", "name", "name_ko", "name_en", "place", "titles"]


class KitBookingInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {"end": _("The end date must be on or after the start date.")}
            )
        return attrs
