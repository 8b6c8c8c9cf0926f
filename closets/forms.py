"""Input shape of the closet's pages; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lending.models import Place
from sharing_city.core import bounds
from sharing_city.core.forms import NamedEmptyChoices

from .models import (
    BODY_PARTS,
    Coach,
    CoachingSession,
    FittingSlot,
    FittingVisit,
    Garment,
    Programme,
    Rental,
    RenterProfile,
)


class ProfileForm(NamedEmptyChoices, forms.ModelForm):
    class Meta:
        model = RenterProfile
        fields = [
            "style",
            "height",
            "weight",
            "purpose",
            "interview_date",
            "preferred_colour",
            *BODY_PARTS,
            "foot",
        ]
        widgets = {"interview_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [*BODY_PARTS, "foot", "height", "weight"]:
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["interview_date"].validators.append(bounds.INTERVIEW)
        self.fields["waist"].help_text = _(
            "Leave out what you do not know: we estimate it from renters of your height and weight."
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BookFittingForm(NamedEmptyChoices, forms.Form):
    slot = forms.ModelChoiceField(
        label=_("Fitting time"),
        queryset=FittingSlot.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("This time is no longer offered. Choose another.")},
    )
    coaching = forms.ModelChoiceField(
        label=_("Career advice"),
        queryset=CoachingSession.objects.none(),
        required=False,
        empty_label=_("No advice session, thank you"),
    )

    def __init__(self, *args: Any, slots: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]
        self.fields["coaching"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["coaching"].label_from_instance = _session_label  # type: ignore[attr-defined]


def _session_label(session: CoachingSession) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    when = date_format(localtime(session.starts_at), "DATETIME_FORMAT")
    parts = [when, session.get_skill_display(), session.get_mode_display()]
    return " · ".join([*parts, session.coach.user.full_name])


class VisitStateForm(NamedEmptyChoices, forms.Form):
    state = forms.ChoiceField(choices=FittingVisit.State.choices)


class RentForm(NamedEmptyChoices, forms.Form):
    codes = forms.CharField(
        label=_("Garment codes"),
        help_text=_("Scan or type each code, separated by spaces or new lines."),
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "characters"}),
        max_length=500,
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())

    def code_list(self) -> list[str]:
        return [c.strip().upper() for c in self.cleaned_data["codes"].split() if c.strip()]


class ProofForm(NamedEmptyChoices, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    birth_date = forms.DateField(
        label=_("Date of birth (from the ID card)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[bounds.BIRTH],
    )
    residence_city = forms.SlugField(
        label=_("City of residence (from the certificate)"), initial="seoul"
    )


class ReturnForm(NamedEmptyChoices, forms.Form):
    garments = forms.ModelMultipleChoiceField(
        label=_("Garments returned"),
        queryset=Garment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the garments that came back.")},
    )
    care = forms.ChoiceField(
        label=_("Then"),
        choices=[
            (Garment.Care.LAUNDRY, _("Laundry")),
            (Garment.Care.REPAIR, _("Repair")),
            (Garment.Care.AVAILABLE, _("Back on the rail")),
        ],
    )

    def __init__(self, *args: Any, garments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["garments"].queryset = garments  # type: ignore[attr-defined]
        field = self.fields["garments"]
        field.label_from_instance = lambda g: f"{g.code} {g.get_kind_display()}"  # type: ignore[attr-defined]


class CareForm(NamedEmptyChoices, forms.Form):
    care = forms.ChoiceField(choices=Garment.Care.choices)


class ExtendForm(NamedEmptyChoices, forms.Form):
    days = forms.IntegerField(label=_("Extra days"), min_value=1, max_value=30, initial=2)
    confirm = forms.BooleanField(required=False)  # unset: show the cost first


class FeedbackForm(NamedEmptyChoices, forms.Form):
    fit_feedback = forms.ChoiceField(label=_("How did it fit?"), choices=Rental.Feedback.choices)
    fit_note = forms.CharField(label=_("Anything else?"), required=False, max_length=300)


class OutcomeForm(NamedEmptyChoices, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did you get the job?"), choices=Rental.Outcome.choices, widget=forms.RadioSelect
    )


class ThanksForm(NamedEmptyChoices, forms.Form):
    text = forms.CharField(
        label=_("Your letter"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    may_publish = forms.BooleanField(
        label=_("The closet may publish it without my name"), required=False
    )


class NotesForm(NamedEmptyChoices, forms.Form):
    notes = forms.CharField(
        label=_("Notes for the renter"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class GarmentForm(NamedEmptyChoices, forms.ModelForm):
    """A garment on the rail, optionally a donor's gift with their letter."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Starts with the kind's letter: J jacket, P trousers, K skirt, S shirt…"),
    )
    donor_email = forms.EmailField(label=_("Donor's email"), required=False)
    letter = forms.CharField(
        label=_("Donor's letter to the renters"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Garment
        fields = ["kind", "colour", "style", *BODY_PARTS, "foot"]

    def sizes(self) -> dict[str, Any]:
        return {p: self.cleaned_data[p] for p in [*BODY_PARTS, "foot"]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("donor_email")) != bool(data.get("letter")):
            raise forms.ValidationError(_("A donation needs both the donor's email and a letter."))
        return data


class OfferSessionForm(NamedEmptyChoices, forms.Form):
    place = forms.ModelChoiceField(
        label=_("Closet"), queryset=Place.objects.filter(kind=Place.Kind.CLOSET, is_active=True)
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[bounds.SCHEDULE],
    )
    skill = forms.ChoiceField(label=_("Topic"), choices=Coach.Skill.choices)
    mode = forms.ChoiceField(label=_("How"), choices=CoachingSession.Mode.choices)
