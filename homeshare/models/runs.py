"""Matching runs, the shortlist they produce and the reasons pairs were left out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District

from .applications import HostApplication, StudentApplication
from .choices import RunStatus


class MatchingRun(models.Model):
    """One run of the matcher for a district (or the whole city) and a term.

    Small runs are done inside the request. A city-wide run, or one over
    HOMESHARE_MATCHING_ASYNC_PAIRS pairs, is created `queued` and done by a Celery task that
    claims it (queued -> running) with a conditional UPDATE; see homeshare.runs.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    hosts_count = models.PositiveIntegerField(default=0)
    students_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    excluded_by_reason = models.JSONField(default=dict)

    class Meta:
        ordering = ["-run_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="homeshare_run_term_ordered",
                violation_error_message=_("The term must end after it starts."),
            )
        ]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"R-{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Candidate(models.Model):
    """One pair on a run's shortlist, with both sides' scores and plain-language reasons."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="candidates")
    host_application = models.ForeignKey(
        HostApplication, on_delete=models.CASCADE, related_name="+"
    )
    student_application = models.ForeignKey(
        StudentApplication, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    host_score = models.FloatField()
    student_score = models.FloatField()
    suggested = models.BooleanField(default=False)  # in the run's global assignment
    reasons = models.JSONField(default=list)  # [{"code": ..., "params": {...}}]

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "host_application", "student_application"],
                name="homeshare_candidate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"C-{self.pk}"


class Exclusion(models.Model):
    """A pair the run ruled out, with every rule it broke (kept for the coordinator)."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="exclusions")
    host_application = models.ForeignKey(
        HostApplication, on_delete=models.CASCADE, related_name="+"
    )
    student_application = models.ForeignKey(
        StudentApplication, on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField(default=list)  # reason codes, never empty

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "host_application", "student_application"],
                name="homeshare_exclusion_unique",
            )
        ]

    def __str__(self) -> str:
        return f"X-{self.pk}"
