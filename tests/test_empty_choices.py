"""Selects start with words, not Django's "---------"."""

import pytest
from django import forms
from django.utils import translation

from closets.forms import GarmentForm, OfferSessionForm, ProfileForm, RentForm
from homeshare.forms import HostApplicationForm, StudentApplicationForm
from sharing_city.core.forms import NamedEmptyChoices
from tool_centres.forms import BriefingForm, ItemForm, TransferForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db, mapo):
    from lending.models import Place

    return Place.objects.create(name_ko="망원 공구도서관", name_en="Mangwon", district=mapo)


def rendered(language: str, form: forms.BaseForm) -> str:
    with translation.override(language):
        return str(form)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_select_starts_with_dashes(language, place):
    pages = [
        GarmentForm(),
        ProfileForm(),
        RentForm(),
        OfferSessionForm(),
        HostApplicationForm(),
        StudentApplicationForm(),
        BriefingForm(),
        ItemForm(place=place),
        TransferForm(place=place),
    ]
    for form in pages:
        assert "<select" in rendered(language, form), type(form).__name__
        assert "---------" not in rendered(language, form), type(form).__name__


def test_required_and_optional_empty_choices_read_differently():
    class Form(NamedEmptyChoices, forms.Form):
        colour = forms.ChoiceField(choices=[("", "---------"), ("navy", "Navy")])
        style = forms.ChoiceField(choices=[("", "---------"), ("slim", "Slim")], required=False)
        named = forms.ChoiceField(choices=[("", "Any colour"), ("navy", "Navy")])

    with translation.override("ko"):
        form = Form()
        assert str(form.fields["colour"].choices[0][1]) == "선택하세요"
        assert str(form.fields["style"].choices[0][1]) == "선택 안 함"
        assert form.fields["named"].choices[0][1] == "Any colour"
