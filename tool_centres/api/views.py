"""The desk API: the same services as the pages, refused (403) at places the caller does not
work at. Each write is a small view with an input serializer and one service call."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending import access
from lending.models import Place

from .. import selectors, services
from ..exceptions import UnknownCode
from ..models import RepairTicket
from .serializers import (
    CheckInInput,
    CheckInResultSerializer,
    CheckOutInput,
    LoanLineSerializer,
    PlaceSerializer,
    RepairTicketSerializer,
)


def _place(request: Request, slug: str) -> Place:
    place = get_object_or_404(Place, slug=slug)
    if not access.can_work_at(request.user, place):
        raise PermissionDenied
    return place


class PlaceList(generics.ListAPIView):
    """The places where the caller may run the desk."""

    serializer_class = PlaceSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Place]:
        return access.places_worked_by(self.request.user).select_related("district")


class RepairTicketList(generics.ListAPIView):
    """Open repair tickets at a place."""

    serializer_class = RepairTicketSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[RepairTicket]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no place
            return RepairTicket.objects.none()
        place = _place(self.request, self.kwargs["slug"])
        return selectors.open_tickets(place)


class CheckOut(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckOutInput, responses={200: LoanLineSerializer(many=True)})
    def post(self, request: Request, slug: str) -> Response:
        """Lend items to a member; each item succeeds or is refused on its own line."""
        place = _place(request, slug)
        data = CheckOutInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        members = selectors.find_members(values.pop("member_number"))
        if len(members) != 1:
            raise UnknownCode(request.data.get("member_number", ""))
        codes = values.pop("codes")
        items = selectors.basket_items([selectors.normalise(c) for c in codes], place=place)
        if len(items) != len(set(codes)):
            found = {item.code for item in items}
            missing = next(c for c in codes if selectors.normalise(c) not in found)
            raise UnknownCode(missing)
        lines = services.check_out_basket(
            member=members[0], items=items, place=place, by=request.user, **values
        )
        return Response(
            [
                {
                    "code": line.code,
                    "ok": line.ok,
                    "loan": line.loan.pk if line.loan else None,
                    "due_date": line.loan.due_date if line.loan else None,
                    "error_code": line.error.code if line.error else None,
                    "detail": str(line.error.message) if line.error else None,
                }
                for line in lines
            ]
        )


class CheckIn(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckInInput, responses={200: CheckInResultSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Take an item back with its condition; damage opens a repair ticket."""
        place = _place(request, slug)
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = selectors.item_by_code(values.pop("code"))
        if item is None:
            raise UnknownCode(request.data.get("code", ""))
        result = services.check_in_at_desk(item=item, place=place, by=request.user, **values)
        return Response(
            {
                "loan": result.loan.pk,
                "outcome": result.loan.outcome,
                "repair_ticket": result.ticket.pk if result.ticket else None,
                "put_aside_for_booking": result.next_booking.pk if result.next_booking else None,
            }
        )
