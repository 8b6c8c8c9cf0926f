"""Residents' voice (issue 19): asks for an item the centre lacks, problems, suggestions.

Modelled on Seoul's 응답소: every ask is routed to the place or district that owns it, staff
answer it, and the city publishes how long answers and closing took. The database refuses
the states that must never exist (a merged ask with no target, a decline with no reason,
a closed ask with no close time, one member's "me too" counted twice).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from lending.models import Booking, Item, Place, Title
from sharing_city.accounts.models import District
from sharing_city.core import bounds
from sharing_city.core.events import AuditEvent


class Kind(models.TextChoices):
    ITEM = "item", _("Ask for an item")
    PROBLEM = "problem", _("Report a problem")
    SUGGESTION = "suggestion", _("Make a suggestion")


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    PLANNED = "planned", _("Planned")
    ACQUIRED = "acquired", _("Now in the catalogue")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another request")


# Statuses that need a reason, and those that close an ask (closed_at set).
NEEDS_REASON = (Status.PLANNED, Status.ACQUIRED, Status.DECLINED)
CLOSED = (Status.ANSWERED, Status.ACQUIRED, Status.DECLINED, Status.MERGED)


def _length_between(field: str, high: int) -> Q:
    return Q(GreaterThan(Length(field), 0), LessThanOrEqual(Length(field), high))


class AskQuerySet(models.QuerySet["Ask"]):
    def for_place(self, place: Place) -> AskQuerySet:
        return self.filter(routed_place=place)

    def unanswered(self) -> AskQuerySet:
        return self.filter(status=Status.OPEN, first_answered_at__isnull=True)

    def with_supporters(self) -> AskQuerySet:
        return self.annotate(supporter_count=models.Count("supporters", distinct=True))

    def routed_to(self, places: models.QuerySet[Place], districts: models.QuerySet[District]):  # type: ignore[no-untyped-def]
        """Asks owned by one of the places, or by one of the districts (any of its places)."""
        return self.filter(Q(routed_place__in=places) | Q(routed_district__in=districts))


class Ask(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("what you ask"), max_length=bounds.ASK_CHARS)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="asks"
    )
    title = models.ForeignKey(
        Title,
        verbose_name=_("title"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
    )
    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
    )
    booking = models.ForeignKey(
        Booking,
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
    )
    # Who owns it, derived when it is made (item/booking -> its place; place; else the asker's
    # district). Kept as columns so the inbox and the figures filter without joins.
    routed_place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="routed_asks"
    )
    routed_district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="routed_asks"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    reason = models.CharField(_("reason"), max_length=bounds.VOICE_REASON_CHARS, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_asks"
    )
    created_at = models.DateTimeField(_("asked"))
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The last unanswered-reminder step sent to staff (working days), for the sweep.
    reminded_step = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = AskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["routed_place", "status"], name="ask_place_status_idx"),
            models.Index(fields=["routed_district", "created_at"], name="ask_district_idx"),
            models.Index(fields=["status", "created_at"], name="ask_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_length_between("text", bounds.ASK_CHARS),
                name="ask_text_length",
                violation_error_message=_("Write between 1 and 1000 characters."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASON) | ~Q(reason=""),
                name="ask_reason_for_status",
                violation_error_message=_("Planned, acquired and declined need a reason."),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.MERGED, merged_into__isnull=False)
                | (~Q(status=Status.MERGED) & Q(merged_into__isnull=True)),
                name="ask_merged_has_target",
                violation_error_message=_("A merged request names the request it joined."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="ask_not_merged_into_itself",
                violation_error_message=_("A request cannot be merged into itself."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACQUIRED) | Q(title__isnull=False),
                name="ask_acquired_names_title",
                violation_error_message=_("Name the title that is now in the catalogue."),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.OPEN) | Q(first_answered_at__isnull=False),
                name="ask_answered_time",
                violation_error_message=_("A handled request records when it was answered."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED) & Q(closed_at__isnull=False))
                | (~Q(status__in=CLOSED) & Q(closed_at__isnull=True)),
                name="ask_closed_time",
                violation_error_message=_("A closed request records when it was closed."),
            ),
            models.CheckConstraint(
                condition=Q(first_answered_at__isnull=True)
                | Q(first_answered_at__gte=F("created_at")),
                name="ask_answered_after_asked",
                violation_error_message=_("An answer cannot come before the request."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("created_at")),
                name="ask_closed_after_asked",
                violation_error_message=_("A request cannot close before it was made."),
            ),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class MeToo(models.Model):
    """A member who needs the same: one per member and ask (the database says so)."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="supporters")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_supports"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ask", "member"],
                name="metoo_once_per_member",
                violation_error_message=_("You already said you need this too."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.ask_id}"


class Answer(models.Model):
    ask = models.ForeignKey(Ask, on_delete=models.PROTECT, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(_("answer"), max_length=bounds.VOICE_ANSWER_CHARS)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_length_between("text", bounds.VOICE_ANSWER_CHARS),
                name="answer_text_length",
                violation_error_message=_("Write between 1 and 2000 characters."),
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} to {self.ask_id}"


class VoiceEvent(AuditEvent):
    """Who made, supported, answered, re-statused or merged which ask, and when."""

    class Action(models.TextChoices):
        ASKED = "asked", _("Asked")
        ME_TOO = "me_too", _("Me too")
        ANSWERED = "answered", _("Answered")
        STATUS = "status", _("Status changed")
        MERGED = "merged", _("Merged")
        REMINDED = "reminded", _("Staff reminded")

    ask = models.ForeignKey(Ask, null=True, on_delete=models.SET_NULL, related_name="events")
    place = models.ForeignKey(Place, null=True, on_delete=models.SET_NULL, related_name="+")
    district = models.ForeignKey(District, null=True, on_delete=models.SET_NULL, related_name="+")

    WHERE_FIELDS = ("place", "district")
    SUBJECT_FIELDS = ("ask",)
