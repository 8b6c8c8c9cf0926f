"""Notices API: the member's notices, their channels and calendar link; staff's failed notices
and their retry. Each write calls the service the page calls, under the page's permission."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.access import has_role
from sharing_city.accounts.models import Role, User
from sharing_city.core.api.serializers import ERRORS

from .. import services
from ..access import notices_of, notices_staff_can_manage
from ..models import CalendarFeed, Notice, NoticePreference
from .serializers import CalendarSerializer, ChannelsSerializer, NoticeSerializer


def _user(request: Request) -> User:
    return cast(User, request.user)


class MyNotices(generics.ListAPIView):
    """The caller's notices, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Notice]:
        return notices_of(self.request.user)

    @extend_schema(responses={200: NoticeSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class Channels(APIView):
    """How the caller's notices reach them: email, text message, or both."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ChannelsSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        preference = NoticePreference.objects.filter(member_id=request.user.pk).first()
        if preference is None:
            return Response({"email": True, "sms": False})
        return Response({"email": preference.email, "sms": preference.sms})

    @extend_schema(request=ChannelsSerializer, responses={200: ChannelsSerializer, **ERRORS})
    def put(self, request: Request) -> Response:
        data = ChannelsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.set_channels(
            member=_user(request), by=_user(request), **data.validated_data
        )
        return Response({"email": preference.email, "sms": preference.sms})


def _calendar(request: Request, feed: CalendarFeed) -> Response:
    path = reverse("notifications:calendar-feed", args=[feed.token])
    return Response({"token": feed.token, "url": request.build_absolute_uri(path)})


class Calendar(APIView):
    """The caller's private calendar feed (GET), or a new link that ends the old one (POST)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CalendarSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        return _calendar(request, services.calendar_feed_of(_user(request)))

    @extend_schema(request=None, responses={200: CalendarSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        feed = services.renew_calendar_feed(member=_user(request), by=_user(request))
        return _calendar(request, feed)


def _require_staff(request: Request) -> None:
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied


class FailedNotices(generics.ListAPIView):
    """Staff: the failed notices of their district's members (city admins: all)."""

    permission_classes = [IsAuthenticated]
    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Notice]:
        return notices_staff_can_manage(self.request.user).failed().order_by("-created_at")

    @extend_schema(responses={200: NoticeSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_staff(request)
        return super().get(request, *args, **kwargs)


class RetryNotice(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: NoticeSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        _require_staff(request)
        notice = get_object_or_404(notices_staff_can_manage(request.user), pk=pk)
        notice = services.retry_notice(notice=notice, by=_user(request))
        return Response(NoticeSerializer(notice).data)
