"""The notice log, members' channel choices, calendar feed tokens and the audit trail.

A notice exists once per (subject, kind, step) for each recipient and channel: the unique
constraint below is what makes sweeps, retries and duplicate task deliveries harmless. Recipient
is in the key because some subjects (a place's daily list) go to several volunteers; channel is
in the key because email and SMS are separate deliveries with their own attempts and errors.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The re-check at send time found the notice no longer true (the loan was returned).
    CANCELLED = "cancelled", _("Not needed any more")


_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_+-]+")  # RFC 5322 atext, less the rarer ones


def unsafe_in_message_id(text: str) -> bool:
    return bool(_UNSAFE_ID_CHARS.search(text))


def stable_message_id(
    *, subject_type: str, subject_id: str, kind: str, step: str, recipient_id: int, channel: str
) -> str:
    """Derived from the notice's key only, so every copy of one notice carries the same id."""
    parts = [f"{subject_type}-{subject_id}", kind, step or "0", str(recipient_id)]
    local = ".".join(_UNSAFE_ID_CHARS.sub("-", part) for part in parts)
    if channel == Channel.SMS:
        return f"{local}.sms"
    return f"<{local}@{settings.NOTICE_MESSAGE_ID_DOMAIN}>"


class NoticeQuerySet(models.QuerySet["Notice"]):
    def for_member(self, member: Any) -> NoticeQuerySet:
        return self.filter(recipient=member)

    def failed(self) -> NoticeQuerySet:
        return self.filter(status=NoticeStatus.FAILED)

    def claimable(self, *, now: datetime) -> NoticeQuerySet:
        """Rows a delivery may take: waiting, or `sending` under a claim so old that its
        worker must have died (the claim timeout exceeds the task's hard time limit)."""
        stale = now - settings.NOTICE_STALE_CLAIM
        return self.filter(
            models.Q(status=NoticeStatus.PENDING)
            | models.Q(
                status=NoticeStatus.SENDING,
                claimed_at__lt=stale,
                attempts__lt=settings.NOTICE_MAX_ATTEMPTS,
            )
        )

    def due_for_redelivery(self, *, now: datetime) -> NoticeQuerySet:
        return self.claimable(now=now).exclude(status=NoticeStatus.PENDING, next_attempt_at__gt=now)


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    # The subject as a stable key ("loan", "123"); a string so that subjects such as a
    # place's day ("place", "5") need no table of their own.
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject"), max_length=64)
    kind = models.CharField(_("kind"), max_length=60)
    step = models.CharField(_("step"), max_length=20, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="ko")
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255)
    context = models.JSONField(_("context"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"))
    # A pending notice whose queued task has not claimed it by then is queued again.
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The unique constraint's index (subject_type, subject_id, kind, step, ...) is the one
        # every "already notified?" probe and ON CONFLICT uses; a second index on kind and
        # subject would only slow each sweep's inserts.
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "step", "recipient", "channel"],
                name="notice_once_per_subject_kind_step",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notice_status_next_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notice_recipient_idx"),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.message_id


class NoticePreference(models.Model):
    """Which channels a member wants. No row means email only."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email = models.BooleanField(_("Email"), default=True)
    sms = models.BooleanField(_("Text message"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.member_id}: email={self.email} sms={self.sms}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's private iCalendar URL. Making a new token is how a leaked URL is revoked."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.member_id}"


class NotificationEvent(models.Model):
    """Who did what to which notice or setting, and when: the audit trail of this app."""

    class Action(models.TextChoices):
        SENT = "sent", _("Sent")
        ATTEMPT_FAILED = "attempt_failed", _("Attempt failed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        RETRIED = "retried", _("Retried by staff")
        CHANNELS_CHANGED = "channels_changed", _("Channels changed")
        FEED_RENEWED = "feed_renewed", _("Calendar link renewed")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_events"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("notification event")
        verbose_name_plural = _("notification events")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
