"""Host and student applications.

Privacy: a host's address and contact phone live only on HostApplication and are shown to a
student only once both sides have accepted (see `Match.address_visible_to_student`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District
from sharing_city.core import bounds

from ..storage import enrolment_proof_path, private_storage
from .choices import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    ApplicationStatus,
    Floor,
    Gender,
    GenderPreference,
    HelpTask,
    Interest,
    Language,
    Meals,
)
from .places import University


class ApplicationQuerySet(models.QuerySet):
    def live(self) -> ApplicationQuerySet:
        return self.filter(status__in=LIVE_STATUSES)

    def in_districts(self, districts: models.QuerySet[District]) -> ApplicationQuerySet:
        return self.filter(district__in=districts)

    def approved(self) -> ApplicationQuerySet:
        return self.filter(status=ApplicationStatus.APPROVED)


class Application(models.Model):
    """What hosts and students have in common: who, where, when, and the screening record."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default="draft"
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    help_tasks = models.JSONField(_("help"), default=list, blank=True)
    help_hours = models.PositiveSmallIntegerField(_("hours of help per week"), default=10)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    meals = models.CharField(
        _("shared meals"), max_length=12, choices=Meals.choices, default=Meals.SOMETIMES
    )
    about = models.TextField(_("about me"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Screening by the district's coordinator.
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def help_task_labels(self) -> list[str]:
        return [str(HelpTask(t).label) for t in self.help_tasks if t in HelpTask.values]

    def language_labels(self) -> list[str]:
        return [str(Language(t).label) for t in self.languages if t in Language.values]

    def interest_labels(self) -> list[str]:
        return [str(Interest(t).label) for t in self.interests if t in Interest.values]


def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class HostApplication(Application):
    """An older resident offering a room. Address and phone are private until both accept."""

    MIN_AGE = 60

    birth_date = models.DateField(_("date of birth"))
    address = models.CharField(_("address"), max_length=300)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    rooms = models.PositiveSmallIntegerField(_("rooms offered"), default=1)
    room_size_m2 = models.PositiveSmallIntegerField(_("room size (m²)"))
    furnished = models.BooleanField(_("furnished"), default=True)
    own_bathroom = models.BooleanField(_("own bathroom"), default=False)
    floor = models.CharField(_("floor"), max_length=10, choices=Floor.choices, default="ground")
    rent = models.PositiveIntegerField(_("rent asked per month (₩)"))
    help_times = models.JSONField(_("when help is wanted"), default=list, blank=True)
    smoking_household = models.BooleanField(_("someone smokes at home"), default=False)
    has_pets = models.BooleanField(_("pets at home"), default=False)
    pets_description = models.CharField(_("which pets"), max_length=200, blank=True)
    others_in_household = models.CharField(_("others living there"), max_length=200, blank=True)
    student_gender = models.CharField(
        _("student gender"),
        max_length=10,
        choices=GenderPreference.choices,
        default=GenderPreference.ANY,
    )
    quiet_home = models.BooleanField(_("quiet hours in the evening (from 22:00)"), default=False)
    min_term_months = models.PositiveSmallIntegerField(_("minimum term (months)"), default=6)
    # Screening: a home visit is required for hosts.
    home_visit_on = models.DateField(_("home visit date"), null=True, blank=True)
    home_visit_notes = models.TextField(_("home visit notes"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=LIVE_STATUSES),
                name="homeshare_one_live_host_application",
                violation_error_message=_("You already have an application as a host."),
            ),
            models.CheckConstraint(
                condition=Q(rooms__gte=1, rooms__lte=5),
                name="homeshare_host_rooms_range",
                violation_error_message=_("Between 1 and 5 rooms."),
            ),
            # The static bounds of sharing_city.core.bounds; the city's rent cap is lower.
            bounds.RENT_CEILING.constraint("rent", name="homeshare_host_rent_range"),
            bounds.HELP_HOURS.constraint("help_hours", name="homeshare_host_help_hours_range"),
            bounds.TERM_MONTHS.constraint("min_term_months", name="homeshare_host_term_range"),
        ]
        verbose_name = _("host application")
        verbose_name_plural = _("host applications")

    def __str__(self) -> str:
        return f"H-{self.pk}"

    def age(self, day: date) -> int:
        return age_on(self.birth_date, day)


class StudentApplication(Application):
    """A student looking for a room in exchange for help at home."""

    university = models.ForeignKey(
        University, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    # Private: outside MEDIA_ROOT, random names, downloaded only through a view that checks.
    enrolment_proof = models.FileField(
        _("proof of enrolment"),
        upload_to=enrolment_proof_path,
        storage=private_storage,
        blank=True,
    )
    enrolment_checked = models.BooleanField(_("enrolment checked"), default=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    budget = models.PositiveIntegerField(_("budget per month (₩)"))
    accepted_districts = models.ManyToManyField(
        District, verbose_name=_("districts I accept"), blank=True, related_name="+"
    )
    max_commute = models.PositiveSmallIntegerField(
        _("longest commute I accept (minutes)"), null=True, blank=True
    )
    available_times = models.JSONField(_("when I can help"), default=list, blank=True)
    smokes = models.BooleanField(_("I smoke"), default=False)
    accepts_smoking_home = models.BooleanField(
        _("I accept a home where someone smokes"), default=False
    )
    pet_allergy = models.BooleanField(_("I am allergic to pets"), default=False)
    allergies = models.CharField(_("other allergies"), max_length=200, blank=True)
    late_nights = models.BooleanField(_("I often come home after 22:00"), default=False)
    schedule = models.CharField(_("my weekly schedule"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=LIVE_STATUSES),
                name="homeshare_one_live_student_application",
                violation_error_message=_("You already have an application as a student."),
            ),
            bounds.MONEY.constraint("budget", name="homeshare_student_budget_range"),
            bounds.HELP_HOURS.constraint("help_hours", name="homeshare_student_help_hours_range"),
        ]
        verbose_name = _("student application")
        verbose_name_plural = _("student applications")

    def __str__(self) -> str:
        return f"S-{self.pk}"
