"""Input shape of voice's forms; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lending.models import Place, Title
from sharing_city.core import bounds
from sharing_city.core.forms import ByNameChoiceField, NamedEmptyChoices

from .models import Kind
from .services import SETTABLE


class AskForm(NamedEmptyChoices, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.ITEM,
    )
    text = forms.CharField(
        label=_("Your request"),
        max_length=bounds.ASK_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which item you need, what went wrong, or your idea."),
        validators=[],
    )
    place = ByNameChoiceField(
        label=_("Place"),
        queryset=Place.objects.active(),
        to_field_name="slug",
        required=False,
        help_text=_("Leave empty to send it to your district."),
    )
    title = forms.ModelChoiceField(
        queryset=Title.objects.all(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].empty_label = _("My district")  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        max_length=bounds.VOICE_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in SETTABLE])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=bounds.VOICE_REASON_CHARS,
        required=False,
        help_text=_("Needed for planned, now in the catalogue and declined."),
    )
    title = forms.IntegerField(
        label=_("Title number in the catalogue"),
        required=False,
        min_value=1,
        max_value=bounds.ID_MAX,
        help_text=_("For “now in the catalogue”: the number in the title page's address."),
    )

    def clean_title(self) -> Title | None:
        pk = self.cleaned_data.get("title")
        if pk is None:
            return None
        title = Title.objects.filter(pk=pk).first()
        if title is None:
            raise forms.ValidationError(_("There is no title with this number."))
        return title


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Request number to merge into"), min_value=1, max_value=bounds.ID_MAX
    )
