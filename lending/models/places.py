"""Places that lend, their opening hours and closures, and who works at each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District

from .. import querysets
from .common import Bilingual


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
