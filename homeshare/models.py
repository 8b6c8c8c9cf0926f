"""Home-share: applications, matching runs, matches, agreements, check-ins and their reminders.

Privacy: a host's address and contact phone live only on HostApplication and are shown to a
student only once both sides have accepted (see `Match.address_visible_to_student`).
`__str__` never contains personal data, because the admin's log and error reports use it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District
from sharing_city.core import bounds
from sharing_city.core.events import AuditEvent

from . import matching
from .storage import enrolment_proof_path, private_storage


class HelpTask(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation and company")
    SAFETY = "safety", _("Safety checks and locking up")
    HOUSEWORK = "housework", _("Light housework")
    SHOPPING = "shopping", _("Shopping")
    SMARTPHONE = "smartphone", _("Smartphone and computer help")
    COOKING = "cooking", _("Cooking together")
    ERRANDS = "errands", _("Errands and going out together")
    GARDENING = "gardening", _("Plants and garden")


class TimeOfWeek(models.TextChoices):
    WEEKDAY_MORNINGS = "weekday_mornings", _("Weekday mornings")
    WEEKDAY_AFTERNOONS = "weekday_afternoons", _("Weekday afternoons")
    WEEKDAY_EVENINGS = "weekday_evenings", _("Weekday evenings")
    WEEKENDS = "weekends", _("Weekends")


class Interest(models.TextChoices):
    READING = "reading", _("Reading")
    MUSIC = "music", _("Music")
    COOKING = "cooking", _("Cooking")
    WALKING = "walking", _("Walking and hiking")
    GARDENING = "gardening", _("Gardening")
    FILMS = "films", _("Films and drama")
    SPORTS = "sports", _("Sports")
    ART = "art", _("Art and crafts")
    GAMES = "games", _("Board games and baduk")
    TRAVEL = "travel", _("Travel")
    TECHNOLOGY = "technology", _("Technology")
    RELIGION = "religion", _("Religion")


class Language(models.TextChoices):
    KO = "ko", _("Korean")
    EN = "en", _("English")
    ZH = "zh", _("Chinese")
    JA = "ja", _("Japanese")
    VI = "vi", _("Vietnamese")
    FR = "fr", _("French")
    DE = "de", _("German")
    ES = "es", _("Spanish")
    RU = "ru", _("Russian")
    MN = "mn", _("Mongolian")


class Meals(models.TextChoices):
    NEVER = "never", _("Rarely or never")
    SOMETIMES = "sometimes", _("Sometimes")
    OFTEN = "often", _("Often")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or rather not say")


class GenderPreference(models.TextChoices):
    ANY = "any", _("No preference")
    FEMALE = "female", _("Female students only")
    MALE = "male", _("Male students only")


class Floor(models.TextChoices):
    GROUND = "ground", _("Ground floor")
    LIFT = "lift", _("Upper floor with a lift")
    STAIRS = "stairs", _("Upper floor, stairs only")


# The vocabularies of the pure matching module are the choices of the forms.
assert tuple(HelpTask.values) == matching.HELP_TASKS
assert tuple(TimeOfWeek.values) == matching.TIMES
assert tuple(Interest.values) == matching.INTERESTS
assert tuple(Language.values) == matching.LANGUAGES
assert tuple(Meals.values) == matching.MEALS


class University(models.Model):
    """A university campus students commute to. Loaded from data/commute_<city>.json."""

    city = models.SlugField(_("city"), max_length=40)
    code = models.SlugField(_("code"), max_length=40)
    name_ko = models.CharField(_("Korean name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["city", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="homeshare_university_code")
        ]
        verbose_name = _("university")
        verbose_name_plural = _("universities")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_ko if (get_language() or "").startswith("ko") else self.name_en


class CommuteTime(models.Model):
    """Usual public-transport minutes from a district to a campus; staff correct them."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    university = models.ForeignKey(University, on_delete=models.CASCADE, related_name="commutes")
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["university", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "university"], name="homeshare_commute_unique"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=300),
                name="homeshare_commute_range",
                violation_error_message=_("A commute is between 1 and 300 minutes."),
            ),
        ]
        verbose_name = _("commute time")
        verbose_name_plural = _("commute times")

    def __str__(self) -> str:
        return f"{self.district} → {self.university}: {self.minutes}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for screening")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An applicant has at most one application of each kind in these states.
LIVE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED]
EDITABLE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED]


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


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


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


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by both")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    AGREED = "agreed", _("Agreement in force")
    ENDED = "ended", _("Ended")


OPEN_MATCH_STATUSES = [MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.AGREED]


class Answer(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


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


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for both to confirm")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


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


class CheckKind(models.TextChoices):
    REFERENCE = "reference", _("Reference")
    ID = "id", _("ID check")
    BACKGROUND = "background", _("Background check")


class CheckMethod(models.TextChoices):
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", pgettext_lazy("screening check", "In person")
    VIDEO = "video", _("By video call")
    EMAIL = "email", _("By email or letter")
    DOCUMENT = "document", _("Document seen")


class CheckOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed: no concerns")
    CONCERNS = "concerns", _("Concerns raised")
    NOT_REACHED = "not_reached", _("Could not be confirmed")


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


class Recommendation(models.TextChoices):
    YES = "yes", _("Yes, I would share a home with them again")
    DOUBTS = "doubts", _("Yes, with some doubts")
    NO = "no", _("No")


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


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


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
