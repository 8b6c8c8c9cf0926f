"""The desk's forms: shape and messages only; the services decide the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lending.models import Category, IdDocument, Item, Loan, OpeningHours, Place, PlaceRole, Title
from lending.photos import validate_photo
from sharing_city.core import bounds
from sharing_city.core.forms import ByNameChoiceField, NamedEmptyChoices

from .models import RepairTicket


class ScanForm(NamedEmptyChoices, forms.Form):
    # Empty is allowed: Enter in the empty field submits the basket (or today's pickups).
    code = forms.CharField(
        label=_("Scan or type a member card, phone, name or item code"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
                "class": "scan-input",
                "data-scan-field": "",
                "autofocus": True,
            }
        ),
    )


class _BackdateMixin(NamedEmptyChoices, forms.Form):
    backdated_to = forms.DateTimeField(
        label=_("It really happened at (backdate)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Only for a forgotten check-out or check-in. Give the reason below."),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the event log)"),
        max_length=500,
        required=False,
        help_text=_("Required when backdating or overriding a block."),
    )


class CheckOutForm(_BackdateMixin):
    override_block = forms.BooleanField(
        label=_("Override the member's block (give the reason)"), required=False
    )


class CheckInForm(_BackdateMixin):
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Loan.ReturnCondition.choices,
        initial=Loan.ReturnCondition.OK,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note on the condition"), max_length=300, required=False)
    deposit_kept = forms.IntegerField(
        label=_("Keep from the deposit (₩)"),
        min_value=0,
        max_value=int(bounds.DEPOSIT.high),
        required=False,
    )
    deposit_reason = forms.CharField(
        label=_("Why part of the deposit is kept"), max_length=300, required=False
    )

    def clean_deposit_kept(self) -> Decimal:
        return Decimal(self.cleaned_data.get("deposit_kept") or 0)


class CloseDayForm(NamedEmptyChoices, forms.Form):
    counted = forms.IntegerField(
        label=_("Cash counted for deposits (₩)"), min_value=0, max_value=int(bounds.MONEY.high)
    )
    note = forms.CharField(label=_("Note (why the count differs)"), max_length=300, required=False)


class TicketForm(NamedEmptyChoices, forms.Form):
    code = forms.CharField(label=_("Item code"), max_length=64)
    problem = forms.ChoiceField(
        label=_("Problem"),
        choices=[
            (c.value, c.label)
            for c in Loan.ReturnCondition
            if c.value in ("needs_cleaning", "needs_repair", "damaged", "parts_missing")
        ],
    )
    note = forms.CharField(label=_("What is wrong"), max_length=1000, required=False)


class CloseTicketForm(NamedEmptyChoices, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (RepairTicket.Status.RESOLVED.value, _("Repaired: back into lending")),
            (RepairTicket.Status.RETIRED.value, _("Cannot be repaired: retire the item")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("What was done"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == RepairTicket.Status.RETIRED and not data.get("resolution"):
            self.add_error("resolution", _("Say why the item is retired."))
        return data


class TransferForm(NamedEmptyChoices, forms.Form):
    code = forms.CharField(label=_("Item code"), max_length=64)
    to_place = forms.ModelChoiceField(
        label=_("To"), queryset=Place.objects.none(), empty_label=_("Choose a place")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_place"].queryset = Place.objects.active().exclude(pk=place.pk)  # type: ignore[attr-defined]


class ItemForm(NamedEmptyChoices, forms.Form):
    """A new copy: of something this place already lends, or of a new thing."""

    code = forms.CharField(
        label=_("Item code (on the label)"),
        max_length=32,
        help_text=_("3 to 32 capital letters, digits or dashes, such as TC-0001."),
    )
    title = forms.ModelChoiceField(
        label=_("Another copy of"),
        queryset=Title.objects.none(),
        required=False,
        empty_label=_("None: a new thing"),
    )
    new_name_ko = forms.CharField(
        label=_("Or a new thing: Korean name"), max_length=200, required=False
    )
    new_name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    category = ByNameChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Choose a category"),
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Item.Condition.choices, initial=Item.Condition.GOOD
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Take a photo with the phone camera, or choose a picture."),
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = Title.objects.filter(items__place=place).distinct()  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_photo(self) -> Any:
        # Checked by content (Pillow) by the lending engine's photo rules.
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_photo(photo)
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title") and not (data.get("new_name_ko") and data.get("category")):
            raise forms.ValidationError(
                _("Choose what it is a copy of, or give a new Korean name and a category.")
            )
        return data


class EditItemForm(NamedEmptyChoices, forms.Form):
    condition = forms.ChoiceField(label=_("Condition"), choices=Item.Condition.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RetireForm(NamedEmptyChoices, forms.Form):
    reason = forms.CharField(label=_("Why is it retired?"), max_length=500)


class _SheetMixin(NamedEmptyChoices, forms.Form):
    """How the codes are drawn and on what stock they are printed."""

    symbology = forms.ChoiceField(
        label=_("Code"),
        choices=[("qr", _("QR code")), ("code128", _("Code 128 bar code (laser scanners)"))],
        initial="qr",
        required=False,
    )
    layout = forms.ChoiceField(
        label=_("Print on"),
        choices=[("a4", _("A4 label sheet")), ("roll", _("62 mm label roll"))],
        initial="a4",
        required=False,
    )

    def clean_symbology(self) -> str:
        return self.cleaned_data.get("symbology") or "qr"

    def clean_layout(self) -> str:
        return self.cleaned_data.get("layout") or "a4"


class LabelsForm(_SheetMixin):
    codes = forms.CharField(
        label=_("Item codes, one per line or separated by spaces"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def clean_codes(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["codes"].replace(",", " ").split()]
        return list(dict.fromkeys(c for c in codes if c))[:200]


class CardsForm(_SheetMixin):
    """Shown on the same page as LabelsForm: its own ids for the shared field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cards_%s")
        super().__init__(*args, **kwargs)

    members = forms.CharField(
        label=_("Member numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def clean_members(self) -> list[str]:
        numbers = [c.strip().upper() for c in self.cleaned_data["members"].split()]
        return list(dict.fromkeys(n for n in numbers if n))[:100]


class BriefingForm(NamedEmptyChoices, forms.Form):
    category = ByNameChoiceField(
        label=_("Safety briefing given for"),
        queryset=Category.objects.filter(rules__requires_briefing=True).distinct(),
        empty_label=_("Choose a category"),
    )


class VerifyForm(NamedEmptyChoices, forms.Form):
    document = forms.ChoiceField(
        label=_("ID seen"), choices=[("", _("Choose the ID you saw")), *IdDocument.choices]
    )
    address_matches = forms.BooleanField(
        label=_("The address on the ID (or a recent bill) matches the member's address"),
        error_messages={"required": _("Check the address before marking the member verified.")},
    )


class RosterForm(NamedEmptyChoices, forms.Form):
    member = forms.CharField(label=_("Member number or email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=PlaceRole.Role.choices)


class HoursForm(NamedEmptyChoices, forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=list(OpeningHours._meta.get_field("weekday").flatchoices),
        coerce=int,
    )
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))


class ClosureForm(NamedEmptyChoices, forms.Form):
    date = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class KitForm(NamedEmptyChoices, forms.Form):
    """A kit the place publishes: names, a line on what it is for, and copies of its titles."""

    name_ko = forms.CharField(label=_("Korean name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    description_ko = forms.CharField(
        label=_("What it is for, in Korean"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_en = forms.CharField(
        label=_("What it is for, in English"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    item_codes = forms.CharField(
        label=_("Item codes, one of each title"),
        help_text=_("Scan or type one copy of each title, separated by spaces or new lines."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "characters"}),
    )

    def clean_item_codes(self) -> list[str]:
        return self.cleaned_data["item_codes"].replace(",", " ").split()
