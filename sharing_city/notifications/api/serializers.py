from __future__ import annotations

from rest_framework import serializers

from ..kinds import UnknownNoticeKind, get_kind
from ..models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "kind_label",
            "step",
            "channel",
            "status",
            "title",
            "link",
            "created_at",
            "sent_at",
        ]

    def get_kind_label(self, notice: Notice) -> str:
        try:
            return str(get_kind(notice.kind).label)
        except UnknownNoticeKind:
            return notice.kind

    def get_link(self, notice: Notice) -> str | None:
        try:
            return get_kind(notice.kind).link(notice)
        except UnknownNoticeKind:
            return None


class ChannelsSerializer(serializers.Serializer):
    """Shape only; the rules (at least one, SMS needs a phone) are the service's."""

    email = serializers.BooleanField()
    sms = serializers.BooleanField()


class CalendarSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()
