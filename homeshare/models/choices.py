"""The vocabularies of home-share: what applicants choose from, and the states of applications,
runs, matches, agreements, checks and reminders."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import matching


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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for screening")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An applicant has at most one application of each kind in these states.
LIVE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED]


EDITABLE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


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


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for both to confirm")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


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


class Recommendation(models.TextChoices):
    YES = "yes", _("Yes, I would share a home with them again")
    DOUBTS = "doubts", _("Yes, with some doubts")
    NO = "no", _("No")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
