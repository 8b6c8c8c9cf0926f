"""The closet's API: garments (public, filtered), the caller's suggestions, booking a fitting.
Refusals are 4xx {"code", "detail"} (sharing_city.core.api.exceptions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from closets import selectors, services
from closets.filters import GarmentFilter
from closets.fitting import recommend
from closets.models import Garment, RenterProfile
from lending.api.serializers import ErrorSerializer
from lending.models import Place

from .serializers import (
    BookFittingInput,
    GarmentSerializer,
    RecommendationSerializer,
    VisitSerializer,
)

ERRORS = dict.fromkeys((400, 401, 403, 404, 409), ErrorSerializer)


class GarmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The closets' garments with their sizes and care state."""

    permission_classes = [AllowAny]
    serializer_class = GarmentSerializer
    filterset_class = GarmentFilter
    queryset = Garment.objects.select_related("item__place").order_by("item__code")

    @extend_schema(responses={200: GarmentSerializer(many=True), **ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class SuggestionsView(APIView):
    """Suits and garments that fit the caller's saved measurements, free until the interview."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("place", OpenApiTypes.STR, required=True)],
        responses={200: RecommendationSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        place = get_object_or_404(
            Place, slug=request.query_params.get("place", ""), kind=Place.Kind.CLOSET
        )
        profile = get_object_or_404(RenterProfile, member=request.user.pk)
        today = timezone.localdate()
        result = recommend(
            place=place,
            body={p: getattr(profile, p) for p in selectors.ALL_PARTS},
            style=profile.style,
            height=profile.height,
            weight=profile.weight,
            preferred_colour=profile.preferred_colour,
            start=today,
            end_exclusive=max(profile.interview_date, today) + dt.timedelta(days=1),
        )
        return Response(RecommendationSerializer(result).data)


class BookFittingView(APIView):
    """Book a seat in a fitting slot, with an optional advice session (twice is harmless)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=BookFittingInput, responses={201: VisitSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = BookFittingInput(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.book_fitting(
            member=request.user,
            slot=data.validated_data["slot"],
            coaching=data.validated_data.get("coaching"),
            by=request.user,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
