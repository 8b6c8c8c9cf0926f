"""Phone numbers through libphonenumber: Korean numbers as people type them are stored in
E.164 and shown as 010-1234-5678 (the desk's search by phone is tested in tool_centres);
numbers that cannot exist are refused with an example."""

import pytest
from django.urls import reverse
from django.utils import translation

from sharing_city.accounts.forms import ProfileForm
from sharing_city.accounts.phone import display, to_e164

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["010-1234-5678", "01012345678", "010 1234 5678", "+82 10-1234-5678", "+821012345678"]
)
def test_a_korean_mobile_however_typed_is_stored_in_e164(typed):
    assert to_e164(typed) == "+821012345678"
    assert display("+821012345678") == "010-1234-5678"


@pytest.mark.parametrize("typed", ["12", "010-1234", "0101234567890123", "phone", "+999 1234"])
def test_numbers_that_cannot_exist_are_refused(typed):
    assert to_e164(typed) is None


def test_a_seoul_landline_and_a_foreign_number_are_shown_as_their_owners_write_them():
    assert display(to_e164("02-2133-1234")) == "02-2133-1234"
    assert display(to_e164("+44 20 7946 0958")) == "+44 20 7946 0958"


def test_the_profile_form_refuses_a_wrong_number_with_an_example(resident):
    with translation.override("en"):
        form = ProfileForm({"full_name": "x", "phone": "010-1234"}, instance=resident)
        assert not form.is_valid()
        assert form.errors["phone"] == ["Enter a phone number such as 010-1234-5678."]


def test_the_profile_shows_the_stored_number_as_people_write_it(client, resident):
    resident.preferred_language = "en"
    resident.save()
    client.force_login(resident)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert resident.phone == "+821011112222"
    assert 'value="010-1111-2222"' in page
