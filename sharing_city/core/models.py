"""The core app's one table: requests that must act at most once."""

from __future__ import annotations

from django.db import models


class OnceRequest(models.Model):
    """One acting request, keyed by who sent it and the key they sent: an API client's
    `Idempotency-Key` header or an HTML form's one-time token. The unique pair is what makes
    a double click or a retried request act once; the stored response is replayed to the
    repeat. Rows older than a day are forgotten (core.forget_once_requests)."""

    caller = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # Empty while the first request is still running.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="core_once_request_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="core_once_request_age")]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"
