"""The desk's today lists and a place's opening hours, for the desk's API clients. The lists
are the Today page's (tool_centres.selectors.day_at); hours are read by anyone (a place's
hours are public) and changed by its leads and district staff through lending's services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending import access
from lending import services as lending
from lending.models import Booking, Item, Loan, OpeningHours, Place
from lending.services.places import can_manage_place
from sharing_city.core.api.forms import as_form_data, cleaned
from sharing_city.core.api.serializers import ERRORS

from .. import selectors
from ..forms import HoursForm
from ..models import Transfer
from .serializers import RepairTicketSerializer


class PickupSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    title = serializers.CharField(source="title.name")
    item = serializers.CharField(source="item.code", allow_null=True, default=None)
    member = serializers.CharField(source="member.member_number")

    class Meta:
        model = Booking
        fields = ["id", "status", "title", "item", "member", "start_date", "pickup_deadline"]


class DayLoanSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    title = serializers.CharField(source="item.title.name")
    member = serializers.CharField(source="member.member_number")

    class Meta:
        model = Loan
        fields = ["id", "item", "title", "member", "due_date"]


class DayTransferSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    from_place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    to_place: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "item", "from_place", "to_place", "status"]


class DayItemSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Item
        fields = ["id", "code", "status"]


class TodaySerializer(serializers.Serializer):
    day = serializers.DateField()
    pickups = PickupSerializer(many=True)
    due_today = DayLoanSerializer(many=True)
    overdue = DayLoanSerializer(many=True)
    repairs = RepairTicketSerializer(many=True)
    cleaning = RepairTicketSerializer(many=True)
    unticketed = DayItemSerializer(many=True)
    transfers = DayTransferSerializer(many=True)


DAY_LISTS = ["pickups", "due_today", "overdue", "repairs", "cleaning", "unticketed", "transfers"]


class Today(APIView):
    """Today's work at a desk: pickups, returns due, overdue loans, repairs, transfers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TodaySerializer, **ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        place = get_object_or_404(Place, slug=slug)
        if not access.can_work_at(request.user, place):
            raise PermissionDenied
        today = timezone.localdate()
        day: Any = selectors.day_at(place, today=today)
        body: dict[str, Any] = {"day": today}
        for name in DAY_LISTS:
            body[name] = getattr(day, name)
        return Response(TodaySerializer(body).data)


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "10:00"}
)
class HourMinuteField(serializers.TimeField):
    """A time of day as people write it, 10:00 (OpenAPI's `time` format wants an offset)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class HoursSerializer(serializers.ModelSerializer):
    opens = HourMinuteField()
    closes = HourMinuteField()

    class Meta:
        model = OpeningHours
        fields = ["id", "weekday", "opens", "closes"]


class HoursInput(serializers.Serializer):
    weekday = serializers.ChoiceField(
        choices=list(OpeningHours._meta.get_field("weekday").flatchoices)
    )
    opens = HourMinuteField()
    closes = HourMinuteField()


def _hours(place: Place) -> list[OpeningHours]:
    return list(place.opening_hours.order_by("weekday", "opens", "pk"))


def _managed(request: Request, slug: str) -> Place:
    place = get_object_or_404(Place, slug=slug)
    if not can_manage_place(request.user, place):
        raise PermissionDenied
    return place


class Hours(APIView):
    """A place's weekly opening hours (anyone); leads and district staff add a period."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: HoursSerializer(many=True), **ERRORS})
    def get(self, request: Request, slug: str) -> Response:
        place = get_object_or_404(Place, slug=slug, is_active=True)
        return Response(HoursSerializer(_hours(place), many=True).data)

    @extend_schema(request=HoursInput, responses={201: HoursSerializer(many=True), **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            raise PermissionDenied
        place = _managed(request, slug)
        data = HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = cleaned(HoursForm(as_form_data(dict(data.validated_data))))
        lending.add_opening_hours(place=place, by=request.user, **values)
        return Response(
            HoursSerializer(_hours(place), many=True).data, status=status.HTTP_201_CREATED
        )


class HoursPeriod(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        place = _managed(request, slug)
        hours = get_object_or_404(OpeningHours, pk=pk, place=place)
        lending.remove_opening_hours(hours=hours, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
