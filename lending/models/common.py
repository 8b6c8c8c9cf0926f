"""What several lending models share: names in Korean and English."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
