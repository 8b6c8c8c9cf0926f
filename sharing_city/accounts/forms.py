"""Sign-up and profile forms: shape and messages only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.core.forms import NamedEmptyChoices

from .models import District, User
from .phone import display, to_e164


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:  # type: ignore[override]
        return obj.display_name


class PhoneField(forms.CharField):
    """Typed as people write it, stored in E.164, shown again as 010-1234-5678."""

    def prepare_value(self, value: Any) -> Any:
        return display(value) if isinstance(value, str) and value.startswith("+") else value

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        normalised = to_e164(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a phone number such as 010-1234-5678."))
        return normalised


class SignUpForm(NamedEmptyChoices, UserCreationForm):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    phone = PhoneField(label=_("Mobile phone"), max_length=30, required=False)
    district = DistrictChoiceField(
        label=_("District"), queryset=District.objects.none(), empty_label=_("Choose your district")
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=[("ko", "한국어"), ("en", "English")]
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use."), required=True)
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being processed."),
        required=True,
    )

    class Meta:
        model = User
        fields = ("full_name", "email", "phone", "district", "preferred_language")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            city=_current_city()
        )
        self.fields["accept_terms"].error_messages["required"] = _(
            "You must accept the terms of use to join."
        )
        self.fields["accept_privacy"].error_messages["required"] = _(
            "You must accept the privacy notice to join."
        )

    def clean_email(self) -> str:
        # An address already registered is not an error here: the page must not tell anyone
        # which addresses have accounts. The view writes to that address instead.
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self) -> None:
        exclude = self._get_validation_exclusions()  # type: ignore[attr-defined]
        exclude.add("email")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]

    def email_taken(self) -> bool:
        return User.objects.filter(email__iexact=self.cleaned_data["email"]).exists()

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        now = timezone.now()
        user.terms_accepted_at = now
        user.privacy_accepted_at = now
        if commit:
            user.save()
        return user


class ProfileForm(NamedEmptyChoices, forms.ModelForm):
    phone = PhoneField(label=_("Mobile phone"), max_length=30, required=False)
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none())

    class Meta:
        model = User
        fields = ("full_name", "phone", "district", "preferred_language")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            city=_current_city()
        )


def _current_city() -> str:
    from django.conf import settings

    return settings.CITY_SLUG
