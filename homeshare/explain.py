"""Plain-language, translated wording of the matcher's reasons (codes come from matching.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import HelpTask, Interest, Language, Meals, TimeOfWeek

EXCLUSIONS = {
    "HOST_INELIGIBLE": gettext_lazy("The host is not eligible (60 or older, approved)."),
    "STUDENT_INELIGIBLE": gettext_lazy(
        "The student is not eligible (enrolment checked, approved)."
    ),
    "DATES": gettext_lazy("Their dates overlap less than the host's minimum term."),
    "RENT_OVER_BUDGET": gettext_lazy("The rent is above the student's budget."),
    "GENDER_PREFERENCE": gettext_lazy("The host prefers a student of another gender."),
    "STUDENT_SMOKES": gettext_lazy("The student smokes and the home is smoke-free."),
    "SMOKING_HOME": gettext_lazy("Someone smokes at home and the student wants a smoke-free home."),
    "PET_ALLERGY": gettext_lazy("There are pets and the student is allergic."),
    "DISTRICT_NOT_ACCEPTED": gettext_lazy("The student does not accept this district."),
    "COMMUTE_TOO_LONG": gettext_lazy("The commute is longer than the student accepts."),
    "POOR_MATCH": gettext_lazy("One side would score this match too low."),
}


def describe_exclusion(code: str) -> str:
    return str(EXCLUSIONS.get(code, code))


def _labels(choices: Any, values: list[str]) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def _won(amount: int) -> str:
    return "₩" + intcomma(amount)


def describe_reason(reason: dict[str, Any]) -> str:
    code, p = reason.get("code"), reason.get("params", {})
    if code == "commute":
        if p.get("minutes") is None:
            return _("Commute to campus: not in the table yet.")
        return _("About %(minutes)s minutes to campus by public transport.") % p
    if code == "tasks":
        text = _("Offers %(offered)s of the %(wanted)s kinds of help wanted.") % p
        if p.get("missing"):
            text += " " + _("Not offered: %(tasks)s.") % {"tasks": _labels(HelpTask, p["missing"])}
        return text
    if code == "hours":
        return _("Can help %(offered)s h a week; %(wanted)s h wanted.") % p
    if code == "schedule":
        if not p.get("common"):
            return _("Not free when help is wanted.")
        return _("Free when help is wanted: %(times)s.") % {
            "times": _labels(TimeOfWeek, p["common"])
        }
    if code == "quiet_vs_late":
        return _("The host keeps quiet evenings; the student often comes home late.")
    if code == "meals_same":
        return _("Same wish for shared meals: %(meals)s.") % {"meals": Meals(p["meals"]).label}
    if code == "interests":
        return _("Shared interests: %(list)s.") % {"list": _labels(Interest, p["shared"])}
    if code == "languages":
        if not p.get("shared"):
            return _("No common language.")
        return ngettext(
            "Common language: %(list)s.", "Common languages: %(list)s.", len(p["shared"])
        ) % {"list": _labels(Language, p["shared"])}
    if code == "rent":
        return _("Rent %(rent)s a month, %(slack)s under the budget.") % {
            "rent": _won(p["rent"]),
            "slack": _won(p["slack"]),
        }
    return str(code)
