"""What members add: tips on titles, their marks, saved lists, and kits of titles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from sharing_city.core import bounds

from .. import querysets
from .catalogue import Title
from .common import Bilingual
from .places import Place


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
