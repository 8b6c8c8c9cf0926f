"""The catalogue's fixed cost: the filter form is rendered once per language and version of the
reference lists, not on every search."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

FILTERS = "lending/_catalogue_filters.html"


def rendered(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_filter_form_is_rendered_once_per_language_for_plain_searches(
    english, tool_centre, drills
):
    first = english.get(reverse("lending:catalogue"), {"q": "드릴"})  # renders and caches the form
    again = english.get(reverse("lending:catalogue"), {"q": "텐트"})
    chosen = english.get(reverse("lending:catalogue"), {"q": "텐트", "place": "mapo-tools"})

    assert first.status_code == again.status_code == chosen.status_code == 200
    assert FILTERS in rendered(first)
    assert FILTERS not in rendered(again)  # served from the cache
    assert "Mapo Tool Library" in again.text  # the cached form still lists the place
    assert FILTERS in rendered(chosen)  # a chosen filter renders afresh, with its choice selected
    assert 'value="mapo-tools" selected' in chosen.text


def test_each_language_has_its_own_cached_form(english, client, tool_centre, drills):
    english.get(reverse("lending:catalogue"), {"q": "드릴"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    korean = client.get(reverse("lending:catalogue"), {"q": "드릴"})

    assert "모든 장소" in korean.text
    assert "All places" not in korean.text


def test_the_cached_form_changes_when_a_place_is_renamed(english, tool_centre, drills):
    english.get(reverse("lending:catalogue"), {"q": "드릴"})
    tool_centre.name_en = "Mapo Tool Library (new hall)"
    tool_centre.save()

    response = english.get(reverse("lending:catalogue"), {"q": "드릴"})

    assert "Mapo Tool Library (new hall)" in response.text
