from django.contrib import admin

from .models import CalendarFeed, Notice, NoticePreference, NotificationEvent


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["message_id", "recipient", "kind", "step", "channel", "status", "attempts"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["message_id", "recipient__username", "subject_id"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["message_id", "created_at", "claimed_at", "sent_at", "attempts"]


@admin.register(NotificationEvent)
class NotificationEventAdmin(admin.ModelAdmin):
    list_display = ["at", "member", "action", "notice", "by"]
    list_filter = ["action"]
    raw_id_fields = ["member", "notice", "by"]


admin.site.register(NoticePreference, raw_id_fields=["member"])
admin.site.register(CalendarFeed, raw_id_fields=["member"], readonly_fields=["token"])
