"""Agreements between matched hosts and students, their check-ins and the reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.core import bounds

from .choices import AgreementStatus, HelpTask, ReminderStatus
from .matches import Match


class Agreement(models.Model):
    """What both sides agreed: rent, help, house rules, dates, trial and notice periods."""

    DEFAULT_MONTHS = 6

    match = models.OneToOneField(Match, on_delete=models.PROTECT, related_name="agreement")
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default="draft")
    rent = models.PositiveIntegerField(_("rent per month (₩)"))
    help_tasks = models.JSONField(_("help"), default=list)
    help_hours = models.PositiveSmallIntegerField(_("hours of help per week"))
    house_rules = models.TextField(_("house rules"), blank=True)
    start_on = models.DateField(_("starts"))
    end_on = models.DateField(_("ends"))
    trial_days = models.PositiveSmallIntegerField(_("trial period (days)"), default=30)
    notice_days_trial = models.PositiveSmallIntegerField(
        _("notice during the trial (days)"), default=7
    )
    notice_days = models.PositiveSmallIntegerField(_("notice after the trial (days)"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    host_confirmed_at = models.DateTimeField(null=True, blank=True)
    student_confirmed_at = models.DateTimeField(null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(default=0)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gt=models.F("start_on")),
                name="homeshare_agreement_dates",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            bounds.RENT_CEILING.constraint("rent", name="homeshare_agreement_rent_range"),
            bounds.HELP_HOURS.constraint("help_hours", name="homeshare_agreement_help_hours_range"),
            bounds.NOTICE_DAYS.constraint("trial_days", name="homeshare_agreement_trial_range"),
            bounds.NOTICE_DAYS.constraint(
                "notice_days_trial", name="homeshare_agreement_trial_notice_range"
            ),
            bounds.NOTICE_DAYS.constraint("notice_days", name="homeshare_agreement_notice_range"),
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"A-{self.pk}"

    def help_task_labels(self) -> list[str]:
        return [str(HelpTask(t).label) for t in self.help_tasks if t in HelpTask.values]


class CheckIn(models.Model):
    """A scheduled visit or call by the coordinator; weekly in the first month, then monthly."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="check_ins")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    concern = models.BooleanField(_("there is a concern to follow up"), default=False)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "due_on"], name="homeshare_check_in_day")
        ]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"K-{self.pk}"


class CheckInReminder(models.Model):
    """One reminder to the coordinator per check-in and step, unique in the database."""

    class Step(models.TextChoices):
        UPCOMING = "upcoming", _("Due in two days")
        DUE = "due", _("Due today")

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=10, choices=Step.choices)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_in", "step"], name="homeshare_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.check_in} {self.step}"

    @property
    def message_id(self) -> str:
        return f"<homeshare-check-in-{self.check_in_id}-{self.step}@sharing.city>"
