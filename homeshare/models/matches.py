"""A proposed pairing of a host and a student, and both sides' answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District

from .applications import HostApplication, StudentApplication
from .choices import OPEN_MATCH_STATUSES, Answer, MatchStatus
from .runs import Candidate


class MatchQuerySet(models.QuerySet):
    def open(self) -> MatchQuerySet:
        return self.filter(status__in=OPEN_MATCH_STATUSES)

    def in_districts(self, districts: models.QuerySet[District]) -> MatchQuerySet:
        return self.filter(host_application__district__in=districts)

    def for_member(self, user: object) -> MatchQuerySet:
        return self.filter(
            Q(host_application__applicant=user) | Q(student_application__applicant=user)
        )


class Match(models.Model):
    """A proposal from the coordinator, answered by both sides; never made automatically."""

    host_application = models.ForeignKey(
        HostApplication, on_delete=models.PROTECT, related_name="matches"
    )
    student_application = models.ForeignKey(
        StudentApplication, on_delete=models.PROTECT, related_name="matches"
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=MatchStatus.choices, default="proposed")
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    note_to_both = models.TextField(_("message to both"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    host_response = models.CharField(max_length=10, choices=Answer.choices, default="pending")
    host_reason = models.TextField(blank=True)
    host_responded_at = models.DateTimeField(null=True, blank=True)
    student_response = models.CharField(max_length=10, choices=Answer.choices, default="pending")
    student_reason = models.TextField(blank=True)
    student_responded_at = models.DateTimeField(null=True, blank=True)
    meeting_on = models.DateField(_("introduction meeting"), null=True, blank=True)
    meeting_notes = models.TextField(_("meeting notes"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # A student is in at most one open match; host capacity is checked under a lock.
            models.UniqueConstraint(
                fields=["student_application"],
                condition=Q(status__in=OPEN_MATCH_STATUSES),
                name="homeshare_one_open_match_per_student",
                violation_error_message=_("This student is already in an open match."),
            )
        ]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"M-{self.pk}"

    @property
    def both_accepted(self) -> bool:
        return self.host_response == Answer.ACCEPTED and self.student_response == Answer.ACCEPTED

    @property
    def address_visible_to_student(self) -> bool:
        """The privacy rule: the student sees address and phone only after both accept."""
        return self.both_accepted and self.status in (
            MatchStatus.ACCEPTED,
            MatchStatus.AGREED,
            MatchStatus.ENDED,
        )

    def side_of(self, user: object) -> str | None:
        if self.host_application.applicant_id == getattr(user, "pk", None):
            return "host"
        if self.student_application.applicant_id == getattr(user, "pk", None):
            return "student"
        return None
