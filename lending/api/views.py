"""The lending API: read-only viewsets over the shared FilterSets, one small view per write.

Every refusal is a 4xx {"code", "detail"} (sharing_city.core.api.exceptions); querysets are
scoped to the caller (fails closed: anonymous callers see no bookings or loans).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending import access, selectors, services
from lending.filters import CatalogueFilter, ItemFilter
from lending.models import Booking, Item, Kit, Loan, Tip, Title, TitleList
from sharing_city.core.replica import ReplicaReadsMixin

from .serializers import (
    BookingInput,
    BookingSerializer,
    CalendarDaySerializer,
    ErrorSerializer,
    ItemSerializer,
    KitBookingInput,
    KitSerializer,
    LoanCheckInInput,
    LoanCheckOutInput,
    LoanSerializer,
    QueueHoldInput,
    SaveToListInput,
    TipInput,
    TipMarkInput,
    TipMarkSerializer,
    TipSerializer,
    TitleListSerializer,
    TitleSerializer,
)

ERRORS = dict.fromkeys((400, 401, 403, 404, 409), ErrorSerializer)
READ_ERRORS = dict.fromkeys((400, 401, 403, 404), ErrorSerializer)
MAX_CALENDAR_DAYS = 90


class TitleViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: titles with a lendable copy, how many copies, how many free now."""

    permission_classes = [AllowAny]
    serializer_class = TitleSerializer
    filterset_class = CatalogueFilter
    queryset = Title.objects.select_related("category")

    @extend_schema(responses={200: TitleSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: TitleSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("copy", OpenApiTypes.STR, description="One copy's code"),
            OpenApiParameter("days", OpenApiTypes.INT, description="Days from today (max 90)"),
        ],
        responses={200: CalendarDaySerializer(many=True), **READ_ERRORS},
        filters=False,
    )
    @action(detail=True, filterset_class=None, pagination_class=None)
    def availability(self, request: Request, pk: str) -> Response:
        """Day by day, how many copies are free (any copy, or ?copy=CODE)."""
        # DRF's version: the router's pk is any string, and "abc" must be a 404, not a 500.
        title = generics.get_object_or_404(Title.objects.all(), pk=pk)
        today = timezone.localdate()
        copies = selectors.title_page(title, today=today, origin=None).copies
        code = request.query_params.get("copy")
        if code:
            copies = [c for c in copies if c.code == code]
            if not copies:
                return Response(
                    {"code": "not_found", "detail": "No such copy of this title."}, status=404
                )
        days = _days(request.query_params.get("days"))
        calendar = selectors.availability(copies, today, days, today)
        return Response(CalendarDaySerializer(calendar, many=True).data)


def _days(raw: str | None) -> int:
    try:
        return min(max(int(raw or 28), 1), MAX_CALENDAR_DAYS)
    except ValueError:
        raise serializers.ValidationError({"days": "A whole number of days."}) from None


class ItemViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Copies with their derived borrow status (available, booked, on loan, overdue)."""

    permission_classes = [AllowAny]
    serializer_class = ItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self) -> QuerySet[Item]:
        return (
            Item.objects.exclude(status=Item.Status.RETIRED)
            .with_borrow_status(timezone.localdate())
            .select_related("title", "place")
            .order_by("code")
        )

    @extend_schema(responses={200: ItemSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ItemSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class MyBookingViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's active bookings and queue places."""

    permission_classes = [IsAuthenticated]
    serializer_class = BookingSerializer
    filterset_class = None

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Booking.objects.none()
        return selectors.my_bookings(self.request.user)

    @extend_schema(responses={200: BookingSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: BookingSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class MyLoanViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's open loans, each with the reason it cannot be renewed (or null)."""

    permission_classes = [IsAuthenticated]
    serializer_class = LoanSerializer
    filterset_class = None

    def get_queryset(self) -> QuerySet[Loan]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Loan.objects.none()
        return selectors.my_loans(self.request.user)

    def _serialize(self, loans: list[Loan] | Loan, many: bool) -> Any:
        rows = loans if isinstance(loans, list) else [loans]
        refusals = selectors.renewal_refusals(rows, timezone.localdate())
        return LoanSerializer(loans, many=many, context={"refusals": refusals}).data

    @extend_schema(responses={200: LoanSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._serialize(list(page or []), many=True))

    @extend_schema(responses={200: LoanSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._serialize(self.get_object(), many=False))


class BookView(APIView):
    """Book a copy (or any free copy of a title) for dates."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=BookingInput, responses={201: BookingSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(BookingInput, request)
        booking = services.book(
            member=request.user,
            by=request.user,
            start=data["start"],
            end=data["end"],
            title=data["title"],
            item=data.get("item"),
            place=data.get("place"),
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class JoinQueueView(APIView):
    """Join the queue for the next free copy of a title at a place (twice is harmless)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=QueueHoldInput, responses={201: BookingSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(QueueHoldInput, request)
        hold = services.place_hold(
            member=request.user, title=data["title"], place=data["place"], by=request.user
        )
        return Response(BookingSerializer(hold).data, status=status.HTTP_201_CREATED)


class CancelBookingView(APIView):
    """Cancel one of your bookings or leave a queue."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: BookingSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        booking = get_object_or_404(Booking.objects.for_member(request.user), pk=pk)
        booking = services.cancel_booking(booking=booking, by=request.user)
        return Response(BookingSerializer(booking).data)


class RenewView(APIView):
    """Renew a loan, or learn why not (renewal_someone_waits, renewal_limit_reached, ...)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: LoanSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        loan = get_object_or_404(access.loans_visible_to(request.user), pk=pk)
        loan = services.renew(loan=loan, by=request.user)
        loan = selectors.my_loans(loan.member).get(pk=loan.pk)
        refusals = selectors.renewal_refusals([loan], timezone.localdate())
        return Response(LoanSerializer(loan, context={"refusals": refusals}).data)


class CheckOutView(APIView):
    """Desk: lend an item to a member (volunteers of the item's place, district staff, admins)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=LoanCheckOutInput, responses={201: LoanSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(LoanCheckOutInput, request)
        access.require_work_at(request.user, data["item"].place)
        loan = services.check_out(
            item=data["item"],
            member=data["member"],
            by=request.user,
            confirm_due=data.get("confirm_due"),
        )
        loan = Loan.objects.select_related("item__title", "place").get(pk=loan.pk)
        return Response(LoanSerializer(loan).data, status=status.HTTP_201_CREATED)


class CheckInView(APIView):
    """Desk: take an item back, with its condition."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=LoanCheckInInput, responses={200: LoanSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(LoanCheckInInput, request)
        access.require_work_at(request.user, data["item"].place)
        loan = services.check_in(
            item=data["item"],
            by=request.user,
            condition=data["condition"],
            note=data["note"],
            deposit_kept=data["deposit_kept"],
            deposit_reason=data["deposit_reason"],
        )
        loan = Loan.objects.select_related("item__title", "place").get(pk=loan.pk)
        return Response(LoanSerializer(loan).data)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data  # type: ignore[return-value]


class TitleTipsView(generics.ListAPIView):
    """Tips from past borrowers of a title, most helpful first; a returner may leave one."""

    serializer_class = TipSerializer
    filterset_class = None

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def _title(self) -> Title:
        return get_object_or_404(Title.objects.all(), pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Tip]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no title
            return Tip.objects.none()
        return Tip.objects.filter(title=self._title()).shown()

    @extend_schema(responses={200: TipSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=TipInput, responses={201: TipSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        title = self._title()
        data = _valid(TipInput, request)
        tip = services.leave_tip(title=title, by=request.user, text=data["text"])
        return Response(TipSerializer(tip).data, status=status.HTTP_201_CREATED)


class MarkTipView(APIView):
    """Mark a shown tip helpful, or flag it for the place's volunteers (twice is harmless)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=TipMarkInput, responses={201: TipMarkSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        tip = get_object_or_404(Tip.objects.filter(hidden_at__isnull=True), pk=pk)
        data = _valid(TipMarkInput, request)
        mark = services.mark_tip(tip=tip, by=request.user, kind=data["kind"])
        return Response(TipMarkSerializer(mark).data, status=status.HTTP_201_CREATED)


class HideTipView(APIView):
    """A volunteer of the tip's place hides it (403 for anyone else)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TipSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        tip = services.hide_tip(tip=get_object_or_404(Tip, pk=pk), by=request.user)
        return Response(TipSerializer(tip).data)


class MyListsView(generics.ListAPIView):
    """The member's own lists of titles; POST puts a title in one, making it if it is new."""

    permission_classes = [IsAuthenticated]
    serializer_class = TitleListSerializer
    filterset_class = None
    queryset = TitleList.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[TitleList]:
        if getattr(self, "swagger_fake_view", False):
            return TitleList.objects.none()
        return TitleList.objects.filter(owner_id=self.request.user.pk).prefetch_related("titles")

    @extend_schema(responses={200: TitleListSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SaveToListInput, responses={201: TitleListSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(SaveToListInput, request)
        saved = services.save_to_list(owner=request.user, title=data["title"], name=data["name"])
        return Response(TitleListSerializer(saved).data, status=status.HTTP_201_CREATED)


class KitViewSet(viewsets.ReadOnlyModelViewSet):
    """Kits the places publish: titles lent together."""

    permission_classes = [AllowAny]
    serializer_class = KitSerializer
    filterset_class = None
    queryset = Kit.objects.published()

    @extend_schema(responses={200: KitSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: KitSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class BookKitView(APIView):
    """Book one copy of each of a kit's titles for the same dates, all or nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=KitBookingInput, responses={201: BookingSerializer(many=True), **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        kit = get_object_or_404(Kit.objects.published(), pk=pk)
        data = _valid(KitBookingInput, request)
        bookings = services.book_kit(
            kit=kit, member=request.user, by=request.user, start=data["start"], end=data["end"]
        )
        return Response(BookingSerializer(bookings, many=True).data, status=status.HTTP_201_CREATED)
