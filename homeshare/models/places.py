"""Universities and the commute table between districts and campuses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.models import District


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
