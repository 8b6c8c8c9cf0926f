"""Members, their roles and the districts of the city."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .phone import to_e164


class District(models.Model):
    """An administrative district (Seoul's 자치구, Bangkok's khet), loaded from a city file."""

    city = models.SlugField(_("city"), max_length=40)
    code = models.CharField(_("code"), max_length=20)
    name_local = models.CharField(_("local name"), max_length=100)
    name_ko = models.CharField(_("Korean name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=100)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["city", "code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="district_unique_code_per_city")
        ]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("ko"):
            return self.name_ko or self.name_en
        return self.name_en


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Home-share coordinator")
    STAFF = "staff", _("District staff")
    ADMIN = "admin", _("City admin")


# Roles that act for a whole district, and so must have one.
DISTRICT_ROLES = frozenset({Role.COORDINATOR, Role.STAFF})


# What a member card carries: SC and digits (generate_member_number makes nine).
MEMBER_NUMBER_PATTERN = r"^SC[0-9]{6,12}$"


def generate_member_number() -> str:
    # Random rather than sequential so a card number reveals nothing about membership size.
    return f"SC{secrets.randbelow(10**9):09d}"


class MemberManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A member of the city's sharing programmes. Everyone can borrow; roles add duties."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("ko", "한국어"), ("en", "English")],
        default="ko",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    member_number = models.CharField(
        _("member number"),
        max_length=20,
        unique=True,
        default=generate_member_number,
        editable=False,
    )
    is_verified = models.BooleanField(
        _("verified member"),
        default=False,
        help_text=_("Identity and address checked at a desk; valuable items require it."),
    )
    # Set at signup until the member opens the link sent to their address: until then no notice
    # goes to it (a mistyped address gets nothing). Members made by staff or the demo are not
    # asked: whoever made them typed the address.
    email_confirmation_pending = models.BooleanField(default=False, editable=False)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Set when the member closed their account (or retention anonymised it): the row stays,
    # anonymous, so the figures that count it do not change.
    closed_at = models.DateTimeField(_("account closed"), null=True, blank=True, editable=False)

    objects = MemberManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.COORDINATOR, Role.STAFF])
                | models.Q(district__isnull=False),
                name="user_district_role_needs_district",
            )
        ]
        # Reports: members who joined a district in a date range ("new members").
        indexes = [
            models.Index(fields=["district", "date_joined"], name="user_district_joined_idx")
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # E.164 whoever saves (forms, demo data, admin, tests): one form to search and to text.
        if self.phone:
            self.phone = to_e164(self.phone) or self.phone
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def is_city_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_district_staff(self) -> bool:
        return self.is_active and self.role == Role.STAFF

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.role == Role.COORDINATOR


class AccessKind(models.TextChoices):
    """What page or API answer showed a member's personal data to someone else."""

    DESK_MEMBER = "desk_member", _("Desk member panel")
    HOMESHARE_APPLICATION = "homeshare_application", _("Home-share application")
    CLOSET_VISIT = "closet_visit", _("Closet visit")


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def about(self, member: User) -> AccessLogQuerySet:
        return self.filter(member=member)


class AccessLog(models.Model):
    """One look at a member's personal data by a volunteer, coordinator or staff member.

    The viewer's role and place are copied at the time of the look: the member's own page shows
    those, not the viewer's name, and a later change of role must not rewrite the history.
    Closing the member's account empties `member` (the row, and so every count, stays)."""

    viewer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="accesses_made", verbose_name=_("viewer")
    )
    member = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses_about",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("what"), max_length=40, choices=AccessKind.choices)
    object_type = models.CharField(max_length=100)  # "homeshare.hostapplication"
    object_id = models.CharField(max_length=40)
    viewer_role = models.CharField(_("viewer's role"), max_length=20, choices=Role.choices)
    where = models.CharField(_("where"), max_length=200, blank=True)  # place or district name
    at = models.DateTimeField(_("seen at"), db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["member", "-at"], name="accesslog_member_at_idx")]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.member_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PolicyDocument(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy notice")


class Consent(models.Model):
    """A member's consent to one version of the terms of use or of the privacy notice.

    One row per (member, document, version): asking again after a new version adds a row, so
    the history shows what was agreed to and when. The versions are settings.POLICY_VERSIONS."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(max_length=20, choices=PolicyDocument.choices)
    version = models.CharField(max_length=40)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "document", "version"], name="consent_once_per_version"
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.member_id} {self.document} {self.version}"
