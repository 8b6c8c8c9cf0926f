"""Categories and their lending rules, titles with their photos, and the copies (items)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import querysets, search
from .common import Bilingual
from .places import Place

ITEM_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,31}$",
    _("An item code is 3 to 32 capital letters, digits or dashes, such as TC-0001."),
)


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
