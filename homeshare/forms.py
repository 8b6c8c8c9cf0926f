"""Input shape and messages. The rules (age, states, who may) are in services.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sharing_city.accounts.forms import PhoneField
from sharing_city.accounts.models import District
from sharing_city.core import bounds
from sharing_city.core.forms import ByNameChoiceField, NamedEmptyChoices
from sharing_city.core.uploads import PrivateFileInput, validate_document

from .models import (
    Agreement,
    CheckKind,
    CheckMethod,
    CheckOutcome,
    HelpTask,
    HostApplication,
    Interest,
    Language,
    Recommendation,
    StudentApplication,
    TimeOfWeek,
    University,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DistrictField(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:  # type: ignore[override]
        return obj.display_name


class DistrictsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: District) -> str:  # type: ignore[override]
        return obj.display_name


class UniversityField(ByNameChoiceField):
    def label_from_instance(self, obj: University) -> str:  # type: ignore[override]
        return obj.display_name


def _checkboxes(label: Any, choices: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


class ApplicationForm(NamedEmptyChoices, forms.ModelForm):
    """Shared shape: the list fields are checkboxes, dates are date inputs."""

    help_tasks = _checkboxes(_("Help"), HelpTask.choices)
    languages = _checkboxes(_("Languages"), Language.choices, required=True)
    interests = _checkboxes(_("Interests"), Interest.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            city=settings.CITY_SLUG
        )
        self.fields["district"].empty_label = None  # type: ignore[attr-defined]
        self.fields["available_from"].validators.append(bounds.AVAILABILITY)
        self.fields["available_until"].validators.append(bounds.AGREEMENT)
        self.fields["help_hours"].validators.append(bounds.HELP_HOURS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            self.add_error("available_until", _("The end date must be after the start date."))
        return data


class HostApplicationForm(ApplicationForm):
    district = DistrictField(label=_("District of your home"), queryset=District.objects.none())
    contact_phone = PhoneField(label=_("Contact phone"), max_length=30)
    help_tasks = _checkboxes(_("Help you would like"), HelpTask.choices, required=True)
    help_times = _checkboxes(_("When help is wanted"), TimeOfWeek.choices)

    class Meta:
        model = HostApplication
        fields = [
            "birth_date",
            "district",
            "address",
            "contact_phone",
            "rooms",
            "room_size_m2",
            "furnished",
            "own_bathroom",
            "floor",
            "rent",
            "help_tasks",
            "help_hours",
            "help_times",
            "smoking_household",
            "has_pets",
            "pets_description",
            "others_in_household",
            "student_gender",
            "quiet_home",
            "meals",
            "languages",
            "interests",
            "available_from",
            "available_until",
            "min_term_months",
            "about",
        ]
        widgets = {
            "birth_date": DATE,
            "available_from": DATE,
            "available_until": DATE,
            "about": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "birth_date": _("Hosts are 60 or older."),
            "address": _("Only the coordinator sees it, and the student once you both accept."),
            "about": _("What a student should know about you and your home. Students see this."),
            "rent": _("About half the usual rent in your area, without a deposit."),
            "rooms": _("How many students you can host at the same time."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rent"].validators.append(bounds.check_rent)
        self.fields["min_term_months"].validators.append(bounds.TERM_MONTHS)

    def clean_birth_date(self) -> date:
        born: date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if HostApplication(birth_date=born).age(today) < HostApplication.MIN_AGE:
            raise forms.ValidationError(_("Hosts must be 60 or older."))
        bounds.BIRTH.check(born, today=today)
        return born

    def clean_rooms(self) -> int:
        rooms: int = self.cleaned_data["rooms"]
        if not 1 <= rooms <= 5:
            raise forms.ValidationError(_("Between 1 and 5 rooms."))
        return rooms


class StudentApplicationForm(ApplicationForm):
    district = DistrictField(
        label=_("District you apply in"),
        queryset=District.objects.none(),
        help_text=_("Its coordinator screens your application."),
    )
    university = UniversityField(label=_("University"), queryset=University.objects.all())
    accepted_districts = DistrictsField(
        label=_("Districts you would live in"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to accept any district within your longest commute."),
    )
    help_tasks = _checkboxes(_("Help you offer"), HelpTask.choices, required=True)
    available_times = _checkboxes(_("When you can help"), TimeOfWeek.choices)

    class Meta:
        model = StudentApplication
        fields = [
            "district",
            "university",
            "enrolment_proof",
            "gender",
            "budget",
            "accepted_districts",
            "max_commute",
            "help_tasks",
            "help_hours",
            "available_times",
            "schedule",
            "smokes",
            "accepts_smoking_home",
            "pet_allergy",
            "allergies",
            "late_nights",
            "meals",
            "languages",
            "interests",
            "available_from",
            "available_until",
            "about",
        ]
        widgets = {
            "available_from": DATE,
            "available_until": DATE,
            "about": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "enrolment_proof": _("A PDF or photo of your certificate of enrolment or leave."),
            "budget": _("The most you can pay each month."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accepted_districts"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            city=settings.CITY_SLUG
        )
        self.fields["university"].queryset = University.objects.filter(  # type: ignore[attr-defined]
            city=settings.CITY_SLUG
        )
        self.fields["budget"].validators.append(bounds.MONEY)
        # The proof is private (no URL): the form links to the view that checks access.
        widget = PrivateFileInput()
        if self.instance.pk and self.instance.enrolment_proof:
            widget.download_url = reverse("homeshare:enrolment-proof", args=[self.instance.pk])
        self.fields["enrolment_proof"].widget = widget

    def clean_enrolment_proof(self) -> Any:
        upload = self.cleaned_data.get("enrolment_proof")
        if upload and hasattr(upload, "content_type"):
            validate_document(upload)  # by content: an executable named .pdf is refused
        return upload


class ScreeningForm(NamedEmptyChoices, forms.Form):
    interview_on = forms.DateField(
        label=_("Interview date"), widget=DATE, required=False, validators=[bounds.INTERVIEW]
    )
    interview_notes = forms.CharField(
        label=_("Interview notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    home_visit_on = forms.DateField(
        label=_("Home visit date"), widget=DATE, required=False, validators=[bounds.APPOINTMENT]
    )
    home_visit_notes = forms.CharField(
        label=_("Home visit notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    enrolment_checked = forms.BooleanField(label=_("Proof of enrolment checked"), required=False)

    def __init__(self, *args: Any, host: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if host:
            del self.fields["enrolment_checked"]
        else:
            del self.fields["home_visit_on"]
            del self.fields["home_visit_notes"]


class CheckForm(forms.Form):
    """One reference, ID or background check, as the coordinator made it."""

    kind = forms.ChoiceField(label=_("Check"), choices=CheckKind.choices)
    referee_name = forms.CharField(
        label=_("Referee's name (references)"), max_length=120, required=False
    )
    referee_relation = forms.CharField(
        label=_("How they know the applicant"), max_length=120, required=False
    )
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE, validators=[bounds.DONE])
    method = forms.ChoiceField(
        label=pgettext_lazy("screening check", "How"), choices=CheckMethod.choices
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CheckOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, host: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not host:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in CheckKind.choices if c[0] != CheckKind.BACKGROUND]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CheckKind.REFERENCE and not data.get("referee_name", "").strip():
            self.add_error("referee_name", _("Give the referee's name."))
        return data


class DecisionForm(NamedEmptyChoices, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason the applicant sees"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class MatchingRunForm(NamedEmptyChoices, forms.Form):
    district = DistrictField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("The whole city"),
    )
    term_start = forms.DateField(label=_("Term starts"), widget=DATE, validators=[bounds.AGREEMENT])
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, validators=[bounds.AGREEMENT])

    def __init__(self, *args: Any, districts: Any, city_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.queryset = districts  # type: ignore[attr-defined]
        field.required = not city_wide
        if not city_wide:
            field.empty_label = None  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return data


class ProposeForm(NamedEmptyChoices, forms.Form):
    note = forms.CharField(
        label=_("Message to both"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class RespondForm(NamedEmptyChoices, forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (needed when you decline)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please tell us why you decline."))
        return data


class ReferenceForm(NamedEmptyChoices, forms.Form):
    """One side's private reference about the other after the agreement ended."""

    recommend = forms.ChoiceField(
        label=_("Would you share a home with them again?"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your reference"),
        help_text=_(
            "What went well, and anything a coordinator should know. Only coordinators read it."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.REFERENCE_CHARS,
    )


class MeetingForm(NamedEmptyChoices, forms.Form):
    meeting_on = forms.DateField(
        label=_("Introduction meeting date"), widget=DATE, validators=[bounds.APPOINTMENT]
    )
    notes = forms.CharField(
        label=_("Meeting notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AgreementForm(NamedEmptyChoices, forms.ModelForm):
    help_tasks = _checkboxes(_("Help agreed"), HelpTask.choices, required=True)
    end_on = forms.DateField(
        label=_("Ends"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for six months (one semester)."),
    )

    class Meta:
        model = Agreement
        fields = [
            "rent",
            "help_tasks",
            "help_hours",
            "house_rules",
            "start_on",
            "end_on",
            "trial_days",
            "notice_days_trial",
            "notice_days",
        ]
        widgets = {"start_on": DATE, "house_rules": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rent"].validators.append(bounds.check_rent)
        self.fields["help_hours"].validators.append(bounds.HELP_HOURS)
        self.fields["start_on"].validators.append(bounds.AGREEMENT)
        self.fields["end_on"].validators.append(bounds.AGREEMENT)
        for name in ("trial_days", "notice_days_trial", "notice_days"):
            self.fields[name].validators.append(bounds.NOTICE_DAYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end <= start:
            self.add_error("end_on", _("The agreement must end after it starts."))
        return data


class CheckInForm(NamedEmptyChoices, forms.Form):
    done_on = forms.DateField(
        label=_("Date of the check-in"), widget=DATE, validators=[bounds.DONE]
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    concern = forms.BooleanField(label=_("There is a concern to follow up"), required=False)


class ExtendForm(NamedEmptyChoices, forms.Form):
    new_end_on = forms.DateField(
        label=_("New end date"), widget=DATE, validators=[bounds.AGREEMENT]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class EndForm(NamedEmptyChoices, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, validators=[bounds.AGREEMENT])
    reason = forms.CharField(
        label=_("Reason for ending"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CommuteForm(NamedEmptyChoices, forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=300)
