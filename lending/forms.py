"""Input shapes of the lending pages; the services decide the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.core import bounds
from sharing_city.core.forms import NamedEmptyChoices

from .models import Item, Place
from .photos import validate_photo
from .reference import ListedModelChoiceField

ANY_COPY = ""


def _place_order(place: Place) -> tuple[str, str]:
    return (place.district.code, place.name_ko)  # Place's Meta.ordering, in memory


class BookingForm(NamedEmptyChoices, forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    place = ListedModelChoiceField(label=_("Pick up at"), listed=list, empty_label=None)
    copy = forms.ChoiceField(label=_("Copy"), required=False)

    def __init__(
        self, *args: Any, copies: list[Item], today: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.copies = {c.code: c for c in copies}
        # The copies' places, already loaded with them: no query to list or check them.
        places = sorted({c.place_id: c.place for c in copies}.values(), key=_place_order)
        self.fields["place"].listed = lambda: places  # type: ignore[attr-defined]
        self.fields["copy"].choices = [(ANY_COPY, _("Any free copy"))] + [  # type: ignore[attr-defined]
            (c.code, f"{c.code} · {c.place.name}") for c in copies
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and start < self.today:
            self.add_error("start", _("Choose a start date from today."))
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        code = data.get("copy")
        place = data.get("place")
        if code and place and self.copies[code].place_id != place.pk:
            self.add_error("copy", _("This copy is kept at another place."))
        if place and start and end and start >= self.today and end >= start:
            self._refuse_closed_days(place, start, end)
        return data

    def _refuse_closed_days(self, place: Place, start: dt.date, end: dt.date) -> None:
        """The place must be open to hand the item over and to take it back (the service
        refuses it too, for the API and for anyone who skips this form)."""
        from .exceptions import PlaceClosed
        from .opening import closed_days

        closed = closed_days(place, start, end)
        for name, day in (("start", start), ("end", end)):
            if day in closed and not (name == "end" and day == start):
                refusal = PlaceClosed(place_name=place.name, day=day, reason=closed[day])
                self.add_error(name, str(refusal.message))

    @property
    def item(self) -> Item | None:
        code = self.cleaned_data.get("copy")
        return self.copies[code] if code else None


class HoldForm(NamedEmptyChoices, forms.Form):
    place = ListedModelChoiceField(label=_("Wait at"), listed=list, empty_label=None)

    def __init__(self, *args: Any, places: QuerySet[Place] | list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed = sorted(places, key=_place_order)  # the item page's places, already loaded
        self.fields["place"].listed = lambda: listed  # type: ignore[attr-defined]


class PhotoForm(NamedEmptyChoices, forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        validators=[validate_photo],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=200, required=False)


class ImportForm(NamedEmptyChoices, forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header row; download the template below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places.order_by("name_ko")  # type: ignore[attr-defined]


class TipForm(forms.Form):
    text = forms.CharField(
        label=_("Your tip for the next borrower"),
        max_length=bounds.TIP_CHARS,
        help_text=_("One line, up to 140 characters. No phone numbers or email addresses."),
    )


class SaveToListForm(forms.Form):
    name = forms.CharField(
        label=_("List name"),
        max_length=bounds.LIST_NAME_CHARS,
        help_text=_("A new name makes a new list. Only you can see your lists."),
    )


class KitBookingForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and start < timezone.localdate():
            self.add_error("start", _("Choose a start date from today."))
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data
