"""What the notice log holds about a member, for their data export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import CalendarFeed, Notice, NoticePreference, NoticeStatus, NotificationEvent


def _notices(user: Any) -> Iterable[Row]:
    for n in Notice.objects.filter(recipient=user).order_by("created_at", "pk"):
        yield row(
            n, "kind", "step", "channel", "language", "status", "title", "created_at", "sent_at"
        )


def _preferences(user: Any) -> Iterable[Row]:
    for p in NoticePreference.objects.filter(member=user):
        yield row(p, "email", "sms", "updated_at")
    for f in CalendarFeed.objects.filter(member=user):
        # The feed's token is a credential: the export says a feed exists, not its address.
        yield row(f, "created_at", kind="calendar_feed")


def _notice_events(user: Any) -> Iterable[Row]:
    for e in NotificationEvent.objects.filter(member=user).order_by("at", "pk"):
        yield row(e, "action", "at", notice=e.notice_id)


def register() -> None:
    from sharing_city.accounts.rights import register_retention

    register_closure_rules()
    register_retention("notifications.notice-bodies", _forget_bodies)
    register_section(
        "notifications.notices",
        _("Notices"),
        _notices,
        covers=["notifications.Notice.recipient"],
    )
    register_section(
        "notifications.preferences",
        _("Notice settings"),
        _preferences,
        covers=["notifications.NoticePreference.member", "notifications.CalendarFeed.member"],
    )
    register_section(
        "notifications.events",
        _("Notice history"),
        _notice_events,
        covers=["notifications.NotificationEvent.member"],
    )
    register_not_exported(
        "notifications.NotificationEvent.by", "a staff member's retry of someone else's notice"
    )


def _anonymise(user: Any, now: Any) -> None:
    # The log rows stay (one per subject, kind and step); what they said goes.
    Notice.objects.filter(recipient=user).update(title="", context={}, last_error="")
    NoticePreference.objects.filter(member=user).delete()
    CalendarFeed.objects.filter(member=user).delete()


def register_closure_rules() -> None:
    from sharing_city.accounts.rights import register_closure

    register_closure("notifications", anonymise=_anonymise)


def _forget_bodies(now: Any) -> int:
    """Notice bodies older than RETENTION_NOTICE_DAYS go; the row (what was sent, when) stays."""
    import datetime as dt

    from django.conf import settings

    cutoff = now - dt.timedelta(days=settings.RETENTION_NOTICE_DAYS)
    old = Notice.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[NoticeStatus.PENDING, NoticeStatus.SENDING]  # still to send: keep
    )
    old = old.exclude(context={}, last_error="")
    return old.update(context={}, last_error="")
