"""The report's filters: a date range, a place and a category. Shape only; the figures module
defines what each figure means."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lending.models import Category, ImpactFactor, Place
from sharing_city.accounts.models import District
from sharing_city.core import bounds

from .figures import Scope

MAX_DAYS = 3 * 366


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=[bounds.REPORT]
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=DateInput, validators=[bounds.REPORT]
    )
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, empty_label=_("All places")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )

    def __init__(self, data: Any, *, district: District | None, today: dt.date) -> None:
        super().__init__(data)
        self.district = district
        self.today = today
        places = Place.objects.all()
        self.fields["place"].queryset = (  # type: ignore[attr-defined]
            places if district is None else places.filter(district=district)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or self.today
        start = data.get("start") or end - dt.timedelta(days=364)
        if start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a range of at most three years."))
        data["start"], data["end"] = start, end
        return data

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            start=data["start"],
            end=data["end"],
            district_id=self.district.pk if self.district else None,
            place_id=data["place"].pk if data.get("place") else None,
            category_id=data["category"].pk if data.get("category") else None,
        )


class PublicForm(forms.Form):
    """The public dashboard: a district (or the whole city) and a year or the last 12 months."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.filter(city=settings.CITY_SLUG),
        required=False,
        empty_label=_("The whole city"),
        to_field_name="code",
    )

    def scope(self, today: dt.date) -> Scope:
        district = self.cleaned_data.get("district")
        return Scope(
            start=today - dt.timedelta(days=364),
            end=today,
            district_id=district.pk if district else None,
        )


def local_today() -> dt.date:
    return timezone.localdate()


class ImpactFactorForm(forms.Form):
    """One category's factor; the service checks the ranges again and refuses with a reason."""

    basis = forms.ChoiceField(label=_("Money saved is"), choices=ImpactFactor.Basis.choices)
    money_share = forms.DecimalField(
        label=_("Share of the replacement value per loan"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("0.1 means a loan saves 10 % of what buying one would cost."),
    )
    money_fixed = forms.DecimalField(
        label=_("Fixed amount per loan (KRW)"), min_value=0, decimal_places=0, max_digits=10
    )
    co2_kg = forms.DecimalField(
        label=_("CO₂ avoided per loan (kg)"), min_value=0, decimal_places=3, max_digits=8
    )

    def __init__(self, data: Any = None, *, instance: ImpactFactor | None = None, **kw: Any):
        initial = {"basis": "share", "money_share": "0.1", "money_fixed": 0, "co2_kg": 0}
        if instance is not None:
            initial = {name: getattr(instance, name) for name in initial}
        super().__init__(data, initial=initial, **kw)
