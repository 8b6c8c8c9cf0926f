"""Screening before approval: references and ID checks, and references left after an agreement."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sharing_city.core import bounds

from .agreements import Agreement
from .applications import HostApplication, StudentApplication
from .choices import CheckKind, CheckMethod, CheckOutcome, Recommendation

# What approval needs: two confirmed references and a confirmed ID check (and for hosts, in a
# city that asks for it, a confirmed background check). UK Homeshare and Nesterly do the same.
REFERENCES_NEEDED = 2


class ScreeningCheck(models.Model):
    """The coordinator's record of one reference, ID or background check: when, how, outcome.

    Exactly one of the two applications is set. Checks are kept after the decision as the record
    of why an applicant was approved.
    """

    host_application = models.ForeignKey(
        HostApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    student_application = models.ForeignKey(
        StudentApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(_("check"), max_length=12, choices=CheckKind.choices)
    referee_name = models.CharField(_("referee's name"), max_length=120, blank=True)
    referee_relation = models.CharField(
        _("how they know the applicant"), max_length=120, blank=True
    )
    checked_on = models.DateField(_("checked on"))
    method = models.CharField(
        pgettext_lazy("screening check", "how"), max_length=12, choices=CheckMethod.choices
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=CheckOutcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "checked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(host_application__isnull=False, student_application__isnull=True)
                    | Q(host_application__isnull=True, student_application__isnull=False)
                ),
                name="homeshare_check_one_application",
                violation_error_message=_("A check belongs to one application."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="reference") | ~Q(referee_name=""),
                name="homeshare_reference_names_referee",
                violation_error_message=_("Give the referee's name."),
            ),
            models.CheckConstraint(
                condition=Q(checked_on__gte=date(2000, 1, 1), checked_on__lte=date(2200, 12, 31)),
                name="homeshare_check_date_range",
                violation_error_message=_("Enter the real date of the check."),
            ),
        ]
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checks")

    def __str__(self) -> str:
        return f"C-{self.pk}"


# How long after an agreement ends its two sides can still leave their reference.
REFERENCE_WINDOW_DAYS = 90


class AgreementReference(models.Model):
    """After an agreement ends, what each side says about the other, in confidence.

    Only coordinators read it (never the other side), and it stays with the person it is about:
    their later applications show it at screening, as references do at UK Homeshare schemes."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="references")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="references_about"
    )
    author_side = models.CharField(
        max_length=8, choices=[("host", _("Host")), ("student", _("Student"))]
    )
    recommend = models.CharField(
        _("would you share a home with them again?"),
        max_length=12,
        choices=Recommendation.choices,
    )
    text = models.TextField(_("your reference"), max_length=bounds.REFERENCE_CHARS)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "author"],
                name="homeshare_reference_once_per_side",
                violation_error_message=_("You have already left your reference."),
            ),
            models.CheckConstraint(
                condition=~Q(author=models.F("about")),
                name="homeshare_reference_about_the_other_side",
                violation_error_message=_("A reference is about the other side."),
            ),
            models.CheckConstraint(
                condition=Q(author_side__in=["host", "student"]),
                name="homeshare_reference_side",
                violation_error_message=_("A reference is from the host or the student."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), bounds.REFERENCE_CHARS)
                & GreaterThan(Length("text"), 0),
                name="homeshare_reference_text_length",
                violation_error_message=_("Write your reference (up to 1,000 characters)."),
            ),
        ]
        verbose_name = _("reference after an agreement")
        verbose_name_plural = _("references after agreements")

    def __str__(self) -> str:
        return f"R-{self.pk} (A-{self.agreement_id})"
