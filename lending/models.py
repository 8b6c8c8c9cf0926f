"""The lending engine's data: places, categories and rules, titles and items, bookings, loans.

Invariants kept by the database (see migrations/0002 for the PostgreSQL-only parts):
- an item has at most one open loan (partial unique constraint);
- the periods an item is spoken for (Occupancy rows of bookings and open loans, turnaround
  buffer included) never overlap (exclusion constraint on PostgreSQL; on SQLite the services'
  transactions are serialised by BEGIN IMMEDIATE and check overlap before writing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District
from sharing_city.core import bounds
from sharing_city.core.events import AuditEvent

from . import querysets, search

ITEM_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,31}$",
    _("An item code is 3 to 32 capital letters, digits or dashes, such as TC-0001."),
)


class Bilingual(models.Model):
    """Names in Korean and English; the page shows the reader's language, else the other."""

    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "ko").startswith("en"):
            return self.name_en or self.name_ko
        return self.name_ko or self.name_en

    def __str__(self) -> str:
        return self.name


class Place(Bilingual):
    """Where things are kept and handed over."""

    class Kind(models.TextChoices):
        TOOL_CENTRE = "tool_centre", _("Tool centre")
        APARTMENT_LIBRARY = "apartment_library", _("Apartment library")
        CLOSET = "closet", _("Open Closet")

    slug = models.SlugField(unique=True, max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="places"
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = querysets.PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["district__code", "name_ko"]
        verbose_name = _("place")
        verbose_name_plural = _("places")


class OpeningHours(models.Model):
    """A weekly opening period; a place may open twice a day (morning and evening)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (i, d)
            for i, d in enumerate(
                [
                    _("Monday"),
                    _("Tuesday"),
                    _("Wednesday"),
                    _("Thursday"),
                    _("Friday"),
                    _("Saturday"),
                    _("Sunday"),
                ]
            )
        ],
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["place", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            ),
            models.UniqueConstraint(
                fields=["place", "weekday", "opens"], name="hours_unique_start"
            ),
        ]


class Closure(models.Model):
    """A day the place is closed although its weekly hours say open (holidays, events)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["place", "date"], name="closure_unique_day")]


class PlaceRole(models.Model):
    """A volunteer (or lead) who works the desk at a place."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        LEAD = "lead", _("Lead volunteer")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="place_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VOLUNTEER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "user"], name="place_role_once")]


class Category(Bilingual):
    """A node of the category tree (tools > power tools > drills)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(unique=True, max_length=80)

    objects = querysets.CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # Titles below a renamed or moved category carry its names in their search text.
        below = Title.objects.filter(category__in=self.with_descendants())
        search.refresh(
            below.only(
                "name_ko", "name_en", "author", "isbn", "category_id", "search_text", "name_key"
            )
        )

    def with_descendants(self) -> list[int]:
        found, level = [self.pk], [self.pk]
        while level:
            level = list(Category.objects.filter(parent__in=level).values_list("pk", flat=True))
            level = [pk for pk in level if pk not in found]
            found += level
        return found


class LendingRule(models.Model):
    """How a category lends; a row with a place overrides the category's rule at that place."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    loan_days = models.PositiveSmallIntegerField(
        _("loan length (days)"), default=7, validators=[MinValueValidator(1)]
    )
    renewal_limit = models.PositiveSmallIntegerField(_("renewals allowed"), default=1)
    renewal_days = models.PositiveSmallIntegerField(
        _("renewal length (days)"), default=7, validators=[MinValueValidator(1)]
    )
    max_items_per_member = models.PositiveSmallIntegerField(_("items out per member"), default=3)
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per member"), default=3
    )
    pickup_window_days = models.PositiveSmallIntegerField(_("pickup window (days)"), default=3)
    turnaround_days = models.PositiveSmallIntegerField(
        _("turnaround buffer (days)"),
        default=0,
        help_text=_("Days kept free after a loan for cleaning and checks."),
    )
    booking_horizon_days = models.PositiveSmallIntegerField(_("booking horizon (days)"), default=60)
    requires_verified_member = models.BooleanField(_("verified members only"), default=False)
    requires_briefing = models.BooleanField(_("safety briefing required"), default=False)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=0, default=Decimal(0))
    deposit = models.DecimalField(_("deposit"), max_digits=10, decimal_places=0, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category"], condition=Q(place__isnull=True), name="rule_one_default"
            ),
            models.UniqueConstraint(
                fields=["category", "place"],
                condition=Q(place__isnull=False),
                name="rule_one_per_place",
            ),
        ]


class Title(Bilingual):
    """What a resident asks for: a book, or "cordless drill 18 V". Copies are Items."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="titles")
    description_ko = models.TextField(_("Korean description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    replacement_value = models.DecimalField(
        _("replacement value (KRW)"),
        max_digits=12,
        decimal_places=0,
        default=Decimal(0),
        help_text=_("What a resident would pay to buy one; used for the money-saved estimate."),
    )
    # Books only; many apartment-library books have no ISBN (local accession numbers).
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Denormalised for the catalogue (lending/search.py): names, author, ISBN and category
    # names, normalised; PostgreSQL indexes its character grams (migration 0004).
    search_text = models.TextField(editable=False, blank=True, default="")
    # The name segments of search_text alone: ranking and typo checks (lending/search.py).
    name_key = models.TextField(editable=False, blank=True, default="")
    # Loans ever made of the title's copies, counted by check_out: "most borrowed" sorts on
    # it instead of counting millions of loans per request.
    loan_count = models.PositiveIntegerField(editable=False, default=0)

    objects = querysets.TitleQuerySet.as_manager()

    class Meta:
        ordering = ["name_ko"]
        indexes = [
            models.Index(fields=["name_ko", "id"], name="title_name_idx"),
            models.Index(fields=["-loan_count", "name_ko"], name="title_popular_idx"),
        ]
        verbose_name = _("title")
        verbose_name_plural = _("titles")

    SEARCHED_FIELDS = frozenset({"name_ko", "name_en", "author", "isbn", "category"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        search.fill(self, search.category_names(self.category))
        fields = kwargs.get("update_fields")
        if fields is not None and self.SEARCHED_FIELDS & set(fields):
            kwargs["update_fields"] = {*fields, "search_text", "name_key"}
        super().save(*args, **kwargs)

    @property
    def description(self) -> str:
        if (get_language() or "ko").startswith("en"):
            return self.description_en or self.description_ko
        return self.description_ko or self.description_en


class TitlePhoto(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="titles/%Y/%m/")
    thumbnail = models.ImageField(upload_to="titles/thumbs/%Y/%m/", blank=True)
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["title", "position", "pk"]


class Item(models.Model):
    """One physical copy, with the code on its label."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MAINTENANCE = "maintenance", _("In maintenance")
        RETIRED = "retired", _("Retired")
        MISSING = "missing", _("Missing")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        WORN = "worn", _("Worn")

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[ITEM_CODE_VALIDATOR])
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="items")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.ItemQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["place", "status"]),
            models.Index(fields=["title", "status"]),
            # The catalogue asks of every matching title "has it a lendable copy, where?":
            # an index-only probe of this small index answers without reading item rows.
            models.Index(
                fields=["title", "place"],
                condition=Q(status="active"),
                name="item_lendable_title_idx",
            ),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.title.name}"


class Booking(models.Model):
    """A resident's claim on an item: dated (start..end) or a place in the hold queue of a title.

    requested -> ready (set aside, pickup deadline) -> collected (a loan) | cancelled | expired.
    A queue hold has no item and no dates until a copy comes back for it.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        READY = "ready", _("Ready for pickup")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.REQUESTED, Status.READY)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="bookings")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    pickup_deadline = models.DateField(_("collect by"), null=True, blank=True)
    # Staff may move someone up the queue; lower comes first, then the oldest.
    priority = models.SmallIntegerField(default=0)
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = querysets.BookingQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "created_at", "pk"]
        indexes = [
            models.Index(fields=["title", "status"]),
            models.Index(fields=["member", "status"]),
            models.Index(fields=["status", "pickup_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True)
                | Q(
                    start_date__isnull=False,
                    end_date__isnull=False,
                    start_date__lte=models.F("end_date"),
                ),
                name="booking_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(item__isnull=False, pickup_deadline__isnull=False),
                name="booking_ready_has_item",
            ),
        ]

    @property
    def is_queue_hold(self) -> bool:
        return self.start_date is None

    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Loan(models.Model):
    """An item in a member's hands, from check-out to check-in."""

    class Outcome(models.TextChoices):
        RETURNED = "returned", _("Returned")
        DAMAGED = "damaged", _("Returned damaged")
        LOST = "lost", _("Lost")

    class ReturnCondition(models.TextChoices):
        OK = "ok", _("OK")
        NEEDS_CLEANING = "needs_cleaning", _("Needs cleaning")
        NEEDS_REPAIR = "needs_repair", _("Needs repair")
        DAMAGED = "damaged", _("Damaged")
        PARTS_MISSING = "parts_missing", _("Parts missing")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="loans")
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="loan"
    )
    checked_out_at = models.DateTimeField(_("checked out"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_condition = models.CharField(max_length=20, choices=ReturnCondition.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    fee = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))
    deposit = models.DecimalField(max_digits=10, decimal_places=0, default=Decimal(0))

    objects = querysets.LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_out_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "returned_at"]),
            models.Index(
                fields=["due_date"], condition=Q(returned_at__isnull=True), name="loan_open_due_idx"
            ),
            # Desks and reports: a place's loans by check-out time. Reports read the borrower
            # and item of a range's loans from the index alone (distinct borrowers, top titles).
            models.Index(
                fields=["place", "checked_out_at"],
                include=["member", "item"],
                name="loan_place_out_idx",
            ),
            # Reports: loans from before a range still out at its start (open, or returned
            # after it), without reading each place's whole history.
            models.Index(fields=["place", "returned_at"], name="loan_place_returned_idx"),
            # Reports' rollup refresh: the ids of the open loans, read from the index alone (which
            # loans recorded as open were returned since).
            models.Index(
                fields=["id"], condition=Q(returned_at__isnull=True), name="loan_open_idx"
            ),
            # "Available now" / "free between dates": is the copy still out, and overdue (out
            # until it is returned)? An index-only probe per copy (lending/search.py).
            models.Index(
                fields=["item", "due_date"],
                condition=Q(returned_at__isnull=True),
                name="loan_open_item_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_at__isnull=True),
                name="loan_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("checked_out_at")),
                name="loan_returned_after_checkout",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and today > self.due_date

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.due_date).days) if self.is_open else 0


class Occupancy(models.Model):
    """The days an item is spoken for, [start, end) with the turnaround buffer included.

    One row per active dated booking, ready hold, or open loan. Rows of one item never overlap:
    PostgreSQL enforces it with an exclusion constraint (migration 0002).
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="occupancies")
    start = models.DateField()
    end = models.DateField()  # exclusive
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="occupancy"
    )
    loan = models.OneToOneField(
        Loan, null=True, blank=True, on_delete=models.CASCADE, related_name="occupancy"
    )

    objects = querysets.OccupancyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["item", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="occupancy_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, loan__isnull=True)
                | Q(booking__isnull=True, loan__isnull=False),
                name="occupancy_booking_xor_loan",
            ),
        ]


class IdDocument(models.TextChoices):
    """The identity documents a desk may check before marking a member verified."""

    RESIDENT_CARD = "resident_card", _("Resident registration card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_CARD = "residence_card", _("Residence card (foreign resident)")
    MOBILE_ID = "mobile_id", _("Mobile ID")


class Briefing(models.Model):
    """A volunteer briefed a member on the safe use of a category's items."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefings"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="briefings")
    briefed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.ForeignKey(Place, null=True, on_delete=models.SET_NULL, related_name="+")
    briefed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "category"], name="briefing_once_per_category"
            )
        ]


class Event(AuditEvent):
    """The audit trail: every check-out, check-in, booking and status change, who and why."""

    WHERE_FIELDS = ("place",)
    SUBJECT_FIELDS = ("loan", "booking", "item", "member")

    class Action(models.TextChoices):
        CHECK_OUT = "check_out", _("Checked out")
        CHECK_IN = "check_in", _("Checked in")
        RENEW = "renew", _("Renewed")
        BOOK = "book", _("Booked")
        HOLD = "hold", _("Joined the queue")
        READY = "ready", _("Ready for pickup")
        CANCEL = "cancel", _("Cancelled")
        EXPIRE = "expire", _("Expired")
        STATUS = "status", _("Status changed")
        LOST = "lost", _("Marked lost")
        BRIEFING = "briefing", _("Safety briefing recorded")
        VERIFY = "verify", _("Member verified")
        OVERRIDE = "override", _("Block overridden")
        MOVE = "move", _("Moved")
        IMPACT = "impact", _("Impact factor changed")
        DEPOSIT_COLLECTED = "deposit_collected", _("Deposit collected")
        DEPOSIT_REFUNDED = "deposit_refunded", _("Deposit refunded")
        DEPOSIT_KEPT = "deposit_kept", _("Deposit kept")
        TIP = "tip", _("Tip left")
        TIP_HIDDEN = "tip_hidden", _("Tip hidden")
        KIT_BOOKED = "kit_booked", _("Kit booked")

    action = models.CharField(max_length=20, choices=Action.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lending_events",
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    loan = models.ForeignKey(
        Loan, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)


class DepositEntry(models.Model):
    """One line of a place's cash book: a loan's deposit taken at check-out, and at check-in
    given back, kept in part (for damage, with the reason) or both. Lost items keep it all.
    A loan has at most one line of each kind, and the service keeps refunded + kept within
    what was collected (under the item's lock)."""

    class Kind(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        REFUNDED = "refunded", _("Refunded")
        KEPT = "kept", _("Kept")

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="deposit_entries")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="deposit_entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deposit_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = querysets.DepositEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["place", "at"], name="deposit_place_at_idx")]
        constraints = [
            models.UniqueConstraint(fields=["loan", "kind"], name="deposit_one_entry_per_kind"),
            bounds.DEPOSIT.constraint("amount", name="deposit_amount_in_range"),
            models.CheckConstraint(
                condition=Q(kind__in=["collected", "refunded", "kept"]), name="deposit_kind_known"
            ),
        ]


class ImpactFactor(models.Model):
    """How much one loan in a category is estimated to save a resident, and the CO₂ it avoids.

    Money saved per loan is either a share of the title's replacement value (a resident who
    borrows instead of buying saves part of the price) or a fixed amount; staff edit both. A
    category without a factor uses its nearest parent's. The figures are estimates.
    """

    class Basis(models.TextChoices):
        SHARE = "share", _("Share of the replacement value")
        FIXED = "fixed", _("Fixed amount per loan")

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="impact_factor"
    )
    basis = models.CharField(
        _("money saved is"), max_length=10, choices=Basis.choices, default=Basis.SHARE
    )
    money_share = models.DecimalField(
        _("share of the replacement value per loan"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0.1 means a loan saves a tenth of what buying one would cost."),
    )
    money_fixed = models.DecimalField(
        _("fixed amount per loan (KRW)"),
        max_digits=10,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    co2_kg = models.DecimalField(
        _("CO₂ avoided per loan (kg)"),
        max_digits=8,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["category__slug"]
        verbose_name = _("impact factor")
        verbose_name_plural = _("impact factors")
        constraints = [
            models.CheckConstraint(
                condition=Q(money_share__gte=0, money_share__lte=1), name="impact_share_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(money_fixed__gte=0, co2_kg__gte=0), name="impact_not_negative"
            ),
        ]

    def money_per_loan(self, replacement_value: Decimal) -> Decimal:
        return self.money_for(1, replacement_value)

    def money_for(self, loans: int, replacement_values: Decimal) -> Decimal:
        """Money saved by `loans` loans whose titles' replacement values add up as given."""
        if self.basis == self.Basis.FIXED:
            return self.money_fixed * loans
        return self.money_share * replacement_values


class Tip(models.Model):
    """A one-line tip a borrower leaves on a title after returning a copy."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="tips")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lending_tips"
    )
    # The place whose copy the author returned: its volunteers may hide the tip.
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="tips")
    text = models.CharField(_("tip"), max_length=bounds.TIP_CHARS)
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = querysets.TipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["title", "author"], name="tip_one_per_member"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), bounds.TIP_CHARS)
                & GreaterThan(Length("text"), 0),
                name="tip_text_length",
            ),
        ]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")


class TipMark(models.Model):
    """A member found a tip helpful, or flagged it for the place's volunteers."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", _("Helpful")
        FLAG = "flag", _("Flagged")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="marks")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tip", "member", "kind"], name="tip_mark_once"),
        ]


class TitleList(models.Model):
    """A resident's own list of titles ("bathroom project"); nobody else sees it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="title_lists"
    )
    name = models.CharField(_("list name"), max_length=bounds.LIST_NAME_CHARS)
    titles = models.ManyToManyField(Title, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="title_list_name_once"),
        ]
        verbose_name = _("list")
        verbose_name_plural = _("lists")

    def __str__(self) -> str:
        return self.name


class Kit(Bilingual):
    """Titles a place lends together ("tile a bathroom"): booked as one, all or nothing."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="kits")
    description_ko = models.TextField(_("Korean description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    titles = models.ManyToManyField(Title, related_name="kits")
    published = models.BooleanField(_("published"), default=False)

    objects = querysets.KitQuerySet.as_manager()

    class Meta:
        ordering = ["name_ko", "pk"]
        verbose_name = _("kit")
        verbose_name_plural = _("kits")
