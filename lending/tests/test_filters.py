"""The catalogue and item FilterSets (issue 18): each filter states its field or names its
method, and a slug that names nothing is a 400 with the reason, in the API and on the page."""

import pytest
from django.urls import reverse

from lending.filters import CatalogueFilter, CopyFilterMixin
from lending.models import Title

from .test_api import api

pytestmark = pytest.mark.django_db


def test_no_catalogue_filter_is_a_noop():
    for name, found in CatalogueFilter.base_filters.items():
        assert found.method != "noop", name
        assert found.method or found.field_name != name or isinstance(found, CopyFilterMixin)


@pytest.mark.parametrize(
    ("param", "value", "reason"),
    [
        ("place", "nowhere", "There is no open place “nowhere”."),
        ("district", "99999", "There is no district “99999” with a lending place."),
        ("category", "spaceships", "There is no category “spaceships”."),
    ],
)
def test_titles_api_refuses_an_unknown_slug_with_the_reason(drill, param, value, reason):
    response = api().get(reverse("api:lending-titles-list"), {param: value})

    assert response.status_code == 400
    assert reason in str(response.json())


def test_items_api_refuses_an_unknown_place_instead_of_an_empty_list(drill):
    unknown = api().get(reverse("api:lending-items-list"), {"place": "nowhere"})
    known = api().get(reverse("api:lending-items-list"), {"place": drill.place.slug})

    assert unknown.status_code == 400
    assert "There is no place “nowhere”." in str(unknown.json())
    assert known.status_code == 200
    assert [row["code"] for row in known.json()["results"]] == [drill.code]


def test_catalogue_page_says_which_place_is_unknown(client, drill):
    client.cookies["django_language"] = "ko"
    response = client.get(reverse("lending:catalogue"), {"place": "nowhere"})

    assert response.status_code == 400
    assert "“nowhere”(이)라는 운영 중인 장소는 없습니다." in response.text


def test_place_and_dates_narrow_the_same_copy(drill, other_centre, tool_centre):
    found = CatalogueFilter({"place": other_centre.slug}, queryset=Title.objects.all())
    assert found.is_valid()
    assert list(found.qs) == []  # the only copy is at the other place


@pytest.mark.parametrize(
    "value", ["-2.939267353006857e+146", "1e30", "9223372036854775808", "1.5", "0"]
)
def test_items_api_refuses_a_title_that_cannot_be_an_id(drill, value):
    # Found by schemathesis: a title of -2.9e146 was a 500.
    response = api().get(reverse("api:lending-items-list"), {"title": value})

    assert response.status_code == 400
    assert "title" in response.json()["detail"]


def test_items_api_still_lists_a_titles_copies(drill):
    rows = api().get(reverse("api:lending-items-list"), {"title": str(drill.title_id)}).json()
    assert [row["code"] for row in rows["results"]] == [drill.code]
