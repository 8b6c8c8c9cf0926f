"""The home-share audit trail."""

from __future__ import annotations

from django.db import models

from sharing_city.accounts.models import District
from sharing_city.core.events import AuditEvent

from .applications import HostApplication, StudentApplication
from .matches import Match


class Event(AuditEvent):
    """The audit trail: who did what, when, to which application or match. No personal data.

    Kept when the application or match goes (its reference stays in `subject`)."""

    WHERE_FIELDS = ("district",)
    SUBJECT_FIELDS = ("match", "host_application", "student_application")

    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_application = models.ForeignKey(
        HostApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    student_application = models.ForeignKey(
        StudentApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d}"
