"""The Open Closet: garments (lending items with sizes), renters' measurements, fitting visits,
career-advice sessions, outfit rentals and the letters between donors and renters.

Invariants kept by the database:
- a fitting slot never holds more visits than its capacity (`booked <= capacity`, and the
  booking service locks the slot row before counting);
- a coaching session has at most one renter (claimed with a conditional UPDATE);
- a garment is in at most one suit as a jacket and one as a bottom.
Lending invariants (never double-lent, event log) stay with lending: each garment is an Item.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lending.models import Item, Loan, Place
from sharing_city.core.events import AuditEvent

from . import querysets

BODY_PARTS = [
    "neck",
    "bust",
    "waist",
    "hip",
    "topbelly",
    "belly",
    "arm",
    "thigh",
    "length",
    "cuff",
]
PART_LABELS = {
    "neck": _("neck"),
    "bust": _("bust"),
    "waist": _("waist"),
    "hip": _("hip"),
    "topbelly": _("top belly"),
    "belly": _("belly"),
    "arm": _("arm"),
    "thigh": _("thigh"),
    "length": _("length"),
    "cuff": _("cuff"),
    "foot": _("foot"),
}


def _cm(label: str | object) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,  # type: ignore[arg-type]
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(250)],
    )


class Style(models.TextChoices):
    MEN = "men", _("Men's")
    WOMEN = "women", _("Women's")
    UNISEX = "unisex", _("Unisex")


class Colour(models.TextChoices):
    BLACK = "black", _("Black")
    NAVY = "navy", _("Navy")
    CHARCOAL = "charcoal", _("Charcoal")
    GREY = "grey", _("Grey")
    BEIGE = "beige", _("Beige")
    WHITE = "white", _("White")
    BLUE = "blue", _("Light blue")
    STRIPE = "stripe", _("Stripe")


class Measurements(models.Model):
    """Body or garment measurements in cm; shoes (foot length) in mm."""

    neck = _cm(_("neck (cm)"))
    bust = _cm(_("bust (cm)"))
    waist = _cm(_("waist (cm)"))
    hip = _cm(_("hip (cm)"))
    topbelly = _cm(_("top belly (cm)"))
    belly = _cm(_("belly (cm)"))
    arm = _cm(_("arm (cm)"))
    thigh = _cm(_("thigh (cm)"))
    length = _cm(_("length (cm)"))
    cuff = _cm(_("cuff (cm)"))
    foot = models.PositiveSmallIntegerField(
        _("foot (mm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(200), MaxValueValidator(320)],
    )

    class Meta:
        abstract = True

    def measured(self) -> dict[str, int]:
        return {p: v for p in [*BODY_PARTS, "foot"] if (v := getattr(self, p)) is not None}


class Donation(models.Model):
    """A donor's gift of one or more garments, with the letter that travels with them."""

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closet_donations"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    letter = models.TextField(_("letter to the renters"), max_length=3000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]


class Garment(Measurements):
    """The closet's details of one lending item: kind, colour, style, sizes and care state."""

    class Kind(models.TextChoices):
        JACKET = "jacket", _("Jacket")
        TROUSERS = "trousers", _("Trousers")
        SKIRT = "skirt", _("Skirt")
        DRESS = "dress", _("Dress")
        SHIRT = "shirt", _("Shirt")
        BLOUSE = "blouse", _("Blouse")
        TIE = "tie", _("Tie")
        BELT = "belt", _("Belt")
        SHOES = "shoes", _("Shoes")
        COAT = "coat", _("Coat")
        WAISTCOAT = "waistcoat", _("Waistcoat")

    # The letter that starts the garment's code, as on Open Closet's labels.
    LETTERS = {
        "jacket": "J",
        "trousers": "P",
        "skirt": "K",
        "dress": "D",
        "shirt": "S",
        "blouse": "B",
        "tie": "T",
        "belt": "E",
        "shoes": "A",
        "coat": "C",
        "waistcoat": "W",
    }

    class Care(models.TextChoices):
        AVAILABLE = "available", pgettext_lazy("garment", "Available")
        LAUNDRY = "laundry", _("In the laundry")
        REPAIR = "repair", pgettext_lazy("garment", "Being repaired")
        DISCARDED = "discarded", _("Discarded or recycled")

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="garment")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    colour = models.CharField(_("colour"), max_length=20, choices=Colour.choices)
    style = models.CharField(_("style"), max_length=10, choices=Style.choices)
    care = models.CharField(_("care"), max_length=20, choices=Care.choices, default=Care.AVAILABLE)
    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.SET_NULL, related_name="garments"
    )

    objects = querysets.GarmentQuerySet.as_manager()

    class Meta:
        ordering = ["item__code"]
        indexes = [models.Index(fields=["kind", "style", "care"])]

    def __str__(self) -> str:
        return self.item.code

    @property
    def code(self) -> str:
        return self.item.code


class Suit(models.Model):
    """A jacket paired with trousers or a skirt: suggested and rented together."""

    jacket = models.OneToOneField(Garment, on_delete=models.CASCADE, related_name="suit_as_jacket")
    bottom = models.OneToOneField(Garment, on_delete=models.CASCADE, related_name="suit_as_bottom")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(jacket=F("bottom")), name="suit_two_garments")
        ]


class RenterProfile(Measurements):
    """What a job seeker tells us to find clothes that fit."""

    class Purpose(models.TextChoices):
        INTERVIEW = "interview", _("Job interview")
        GRADUATION = "graduation", _("Graduation")
        CEREMONY = "ceremony", _("Ceremony or event")
        OTHER = "other", _("Other")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closet_profile"
    )
    style = models.CharField(_("style"), max_length=10, choices=Style.choices)
    height = models.PositiveSmallIntegerField(
        _("height (cm)"), validators=[MinValueValidator(120), MaxValueValidator(220)]
    )
    weight = models.PositiveSmallIntegerField(
        _("weight (kg)"), validators=[MinValueValidator(30), MaxValueValidator(200)]
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.INTERVIEW
    )
    interview_date = models.DateField(_("interview date"))
    preferred_colour = models.CharField(
        _("preferred colour"), max_length=20, choices=Colour.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)


class FittingSlot(models.Model):
    """Thirty minutes at a closet when `capacity` renters can be measured and fitted."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="fitting_slots")
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=2)
    booked = models.PositiveSmallIntegerField(default=0)

    objects = querysets.FittingSlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "place"]
        constraints = [
            models.UniqueConstraint(fields=["place", "starts_at"], name="fitting_slot_once"),
            # The last seat goes to one renter only, whatever the concurrency.
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="fitting_slot_not_overbooked"
            ),
        ]

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=settings.CLOSET_SLOT_MINUTES)

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.booked)


class Coach(models.Model):
    """A volunteer who gives career advice."""

    class Skill(models.TextChoices):
        MOCK_INTERVIEW = "mock_interview", _("Mock interview")
        CV = "cv", _("CV and cover letter")
        PRESENTATION = "presentation", _("Presentation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closet_coach"
    )
    skills = models.JSONField(default=list)
    bio = models.CharField(_("about"), max_length=300, blank=True)
    is_active = models.BooleanField(default=True)


class FittingVisit(models.Model):
    """A renter's booked fitting, followed through the day by the closet's staff."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        MEASURING = "measuring", _("Measuring")
        FITTING = "fitting", _("Fitting")
        RENTED = "rented", _("Rented")
        NO_RENTAL = "no_rental", _("No rental")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDS_SEAT = (State.BOOKED, State.ARRIVED, State.MEASURING, State.FITTING)
    # What staff may move a visit to from each state during the day.
    NEXT = {
        "booked": ("arrived", "no_show"),
        "arrived": ("measuring", "fitting", "no_rental"),
        "measuring": ("fitting", "no_rental"),
        "fitting": ("rented", "no_rental"),
    }

    slot = models.ForeignKey(FittingSlot, on_delete=models.PROTECT, related_name="visits")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fitting_visits"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.BOOKED)
    created_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    objects = querysets.FittingVisitQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "member"],
                condition=Q(state__in=["booked", "arrived", "measuring", "fitting"]),
                name="fitting_visit_once_per_slot",
            )
        ]

    @property
    def holds_seat(self) -> bool:
        return self.state in self.HOLDS_SEAT


class CoachingSession(models.Model):
    """A coach's offered half hour; a renter takes it alone or with a fitting."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="sessions")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    skill = models.CharField(_("topic"), max_length=20, choices=Coach.Skill.choices)
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_sessions",
    )
    visit = models.ForeignKey(
        FittingVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="coaching"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("notes for the renter"), blank=True, max_length=5000)

    objects = querysets.CoachingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "starts_at"], name="coaching_session_once")
        ]


class Programme(models.Model):
    """How a closet lends: a free city programme with eligibility and a yearly quota, or a paid
    one with extension and late fees as percentages of the rental price."""

    slug = models.SlugField(unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    rental_price = models.DecimalField(
        _("rental price (KRW)"), max_digits=10, decimal_places=0, default=Decimal(0)
    )
    extension_fee_percent = models.PositiveSmallIntegerField(_("extension fee % a day"), default=0)
    late_fee_percent = models.PositiveSmallIntegerField(_("late fee % a day"), default=0)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    residence_city = models.SlugField(
        blank=True, help_text=_("Only residents of this city (proof checked by staff).")
    )
    yearly_quota = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        en = (get_language() or "ko").startswith("en")
        return (self.name_en if en else "") or self.name_ko

    @property
    def needs_proof(self) -> bool:
        return bool(self.min_age or self.max_age or self.residence_city)


class EligibilityProof(models.Model):
    """What staff saw (ID card, residence certificate) for a free programme."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closet_proofs"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="proofs")
    birth_date = models.DateField(_("date of birth"))
    residence_city = models.SlugField(_("city of residence"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "programme"], name="proof_once")]


class Rental(models.Model):
    """An outfit lent as one: its garments' loans share one due date."""

    class Feedback(models.TextChoices):
        GOOD = "good", _("Fitted well")
        TOO_SMALL = "too_small", _("Too small")
        TOO_BIG = "too_big", _("Too big")
        TOO_LONG = "too_long", _("Too long")
        TOO_SHORT = "too_short", _("Too short")

    class Outcome(models.TextChoices):
        GOT_JOB = "got_job", _("I got the job")
        NOT_YET = "waiting", _("Still waiting")
        NO = "no", _("Not this time")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closet_rentals"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rentals")
    visit = models.OneToOneField(
        FittingVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="rental"
    )
    purpose = models.CharField(max_length=20, choices=RenterProfile.Purpose.choices)
    interview_date = models.DateField(_("interview date"), null=True, blank=True)
    # The measurements the outfit was chosen with, as they were that day.
    measurements = models.JSONField(default=dict)
    style = models.CharField(max_length=10, choices=Style.choices)
    height = models.PositiveSmallIntegerField(null=True)
    weight = models.PositiveSmallIntegerField(null=True)
    rented_at = models.DateTimeField()
    rented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due"))
    returned_at = models.DateTimeField(null=True, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))
    fees = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))
    fit_feedback = models.CharField(max_length=20, choices=Feedback.choices, blank=True)
    fit_note = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    objects = querysets.RentalQuerySet.as_manager()

    class Meta:
        ordering = ["-rented_at", "-pk"]
        indexes = [models.Index(fields=["member", "rented_at"])]

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class RentalGarment(models.Model):
    rental = models.ForeignKey(Rental, on_delete=models.CASCADE, related_name="lines")
    garment = models.ForeignKey(Garment, on_delete=models.PROTECT, related_name="rental_lines")
    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="closet_line")

    class Meta:
        ordering = ["garment__kind", "pk"]


class ThankYouLetter(models.Model):
    """A renter's letter back to the donor of a garment they wore."""

    rental = models.ForeignKey(Rental, on_delete=models.CASCADE, related_name="letters")
    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="thanks")
    text = models.TextField(_("your letter"), max_length=3000)
    may_publish = models.BooleanField(_("The closet may publish it without my name"), default=False)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at"]
        constraints = [
            models.UniqueConstraint(fields=["rental", "donation"], name="thanks_once_per_rental")
        ]


class ClosetEvent(AuditEvent):
    """The closet's audit trail: bookings, visits, rentals, care, letters — who and when."""

    WHERE_FIELDS = ("place",)
    SUBJECT_FIELDS = ("rental", "visit", "garment", "member")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.ForeignKey(Place, null=True, on_delete=models.SET_NULL, related_name="+")
    visit = models.ForeignKey(FittingVisit, null=True, on_delete=models.SET_NULL, related_name="+")
    rental = models.ForeignKey(Rental, null=True, on_delete=models.SET_NULL, related_name="+")
    garment = models.ForeignKey(Garment, null=True, on_delete=models.SET_NULL, related_name="+")
