"""Voice's API: the same services and permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending.api.serializers import BookingSerializer
from sharing_city.core.api.forms import validated
from sharing_city.core.api.serializers import ErrorSerializer
from voice import access, selectors, services
from voice.filters import AskFilter
from voice.models import Answer, Ask

from .serializers import (
    AnswerInput,
    AnswerSerializer,
    AskInput,
    AskSerializer,
    MergeInput,
    MeTooSerializer,
    StatusInput,
)

ERRORS = dict.fromkeys((400, 401, 403, 404, 409), ErrorSerializer)
READ_ERRORS = dict.fromkeys((400, 401, 403, 404), ErrorSerializer)


def _rows(queryset: QuerySet[Ask]) -> QuerySet[Ask]:
    answers = Prefetch("answers", queryset=Answer.objects.order_by("created_at", "pk"))
    return (
        selectors.asks_for_list(queryset).prefetch_related(answers).order_by("-created_at", "-pk")
    )


def _shown(ask: Ask) -> dict[str, Any]:
    return AskSerializer(_rows(Ask.objects.filter(pk=ask.pk)).get()).data  # type: ignore[no-any-return]


@extend_schema(responses={200: AskSerializer(many=True), **READ_ERRORS})
class AskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents' asks, problems and suggestions; POST makes one (routed to its owner)."""

    permission_classes = [IsAuthenticated]
    serializer_class = AskSerializer
    filterset_class = AskFilter
    queryset = Ask.objects.none()  # the schema's model; get_queryset reads

    def get_queryset(self) -> QuerySet[Ask]:
        return _rows(selectors.visible_asks())

    @extend_schema(responses={200: AskSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=AskInput, responses={201: AskSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = validated(AskInput, request)
        ask = services.create_ask(by=request.user, **data)
        return Response(_shown(ask), status=status.HTTP_201_CREATED)


class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Asks routed to the places (or district) you work for."""

    permission_classes = [IsAuthenticated]
    serializer_class = AskSerializer
    filterset_class = AskFilter
    queryset = Ask.objects.none()

    @extend_schema(responses={200: AskSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Ask]:
        return _rows(access.inbox_for(self.request.user))


def _ask(pk: int) -> Ask:
    return get_object_or_404(Ask.objects.select_related("routed_place", "routed_district"), pk=pk)


class MeTooView(APIView):
    """Say you need this too (twice is harmless; your own request already counts you)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: MeTooSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        support = services.me_too(ask=_ask(pk), by=request.user)
        return Response(MeTooSerializer(support).data, status=status.HTTP_201_CREATED)


class AnswerView(APIView):
    """Staff of the owning place or district answer; the asker and supporters are told."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AnswerInput, responses={201: AnswerSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        ask = _ask(pk)
        access.require_handle(request.user, ask)
        data = validated(AnswerInput, request)
        reply = services.answer(ask=ask, by=request.user, text=data["text"])
        return Response(AnswerSerializer(reply).data, status=status.HTTP_201_CREATED)


class StatusView(APIView):
    """Set planned / acquired (with the title) / declined (each with a reason), answered, open."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StatusInput, responses={200: AskSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        ask = _ask(pk)
        access.require_handle(request.user, ask)
        data = validated(StatusInput, request)
        ask = services.set_status(ask=ask, by=request.user, **data)
        return Response(_shown(ask))


class MergeView(APIView):
    """Merge this request into another; its supporters move over, each counted once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MergeInput, responses={200: AskSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        ask = _ask(pk)
        access.require_handle(request.user, ask)
        data = validated(MergeInput, request)
        ask = services.merge(ask=ask, into=data["into"], by=request.user)
        return Response(_shown(ask))


class HoldView(APIView):
    """Join the queue for the title an ask was answered with ("now in the catalogue"):
    offered to the asker and every supporter."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: BookingSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        booking = services.hold_acquired(ask=_ask(pk), by=request.user)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)
