"""The desk API publishes and withdraws a place's kits: the place page's form and services, its
leads and district staff only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lending.models import Event, Kit, PlaceRole
from lending.tests.factories import ItemFactory, TitleFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_member, tool_centre):
    user = make_member("lead", role="volunteer", preferred_language="en")
    assign(user, tool_centre, role=PlaceRole.Role.LEAD)
    return user


@pytest.fixture
def kit_items(drills, tool_centre, other_centre):
    level = TitleFactory(category=drills, name_ko="수평계", name_en="Spirit level")
    cutter = TitleFactory(category=drills, name_ko="타일 커터", name_en="Tile cutter")
    ItemFactory(code="TC-0101", title=level, place=tool_centre)
    ItemFactory(code="TC-0102", title=cutter, place=tool_centre)
    ItemFactory(code="GN-0001", title=cutter, place=other_centre)
    return level, cutter


def as_user(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def publish_url(place) -> str:
    return reverse("api:tool-centres-kits", args=[place.slug])


def withdraw_url(kit) -> str:
    return reverse("api:tool-centres-withdraw-kit", args=[kit.place.slug, kit.pk])


BODY = {
    "name_ko": "욕실 타일 붙이기",
    "name_en": "Tile a bathroom",
    "item_codes": ["tc-0101", "TC-0102"],
}


def kit_events(change: str):
    return Event.objects.filter(data__place_change=change)


def kit_list_names() -> list[str]:
    return [
        k["name_en"] for k in APIClient().get(reverse("api:lending-kits-list")).json()["results"]
    ]


def test_a_lead_publishes_a_kit_that_shows_in_the_kit_list_and_withdraws_it(
    lead, tool_centre, kit_items
):
    api = as_user(lead)

    published = api.post(publish_url(tool_centre), BODY, format="json")

    assert published.status_code == 201
    body = published.json()
    assert (body["name_en"], body["published"]) == ("Tile a bathroom", True)
    assert body["place"]["slug"] == tool_centre.slug
    assert sorted(body["titles"]) == sorted(t.pk for t in kit_items)
    kit = Kit.objects.get(place=tool_centre)
    assert kit.published and set(kit.titles.all()) == set(kit_items)
    assert kit_list_names() == ["Tile a bathroom"]
    assert kit_events("kit_published").filter(actor=lead).count() == 1

    withdrawn = api.post(withdraw_url(kit))
    again = api.post(withdraw_url(kit))  # twice: harmless

    assert (withdrawn.status_code, withdrawn.json()["published"]) == (200, False)
    assert (again.status_code, again.json()["published"]) == (200, False)
    kit.refresh_from_db()
    assert not kit.published
    assert kit_list_names() == []
    assert kit_events("kit_withdrawn").count() == 1


def test_district_staff_publish_a_kit(staff, tool_centre, kit_items):
    response = as_user(staff).post(publish_url(tool_centre), BODY, format="json")

    assert response.status_code == 201
    assert Kit.objects.filter(place=tool_centre, published=True).count() == 1


@pytest.mark.parametrize(
    ("codes", "code", "says"),
    [
        (["TC-0101", "GN-0001"], "invalid", "These codes are not copies held here: GN-0001."),
        (["TC-0101", "tc-0101"], "invalid", "A kit holds between 2 and 12 different titles."),
        ([], "invalid", {"item_codes": ["This field is required."]}),
    ],
)
def test_a_kit_of_copies_held_elsewhere_or_of_one_title_is_refused_with_the_message(
    lead, tool_centre, kit_items, codes, code, says
):
    response = as_user(lead).post(
        publish_url(tool_centre), {**BODY, "item_codes": codes}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"code": code, "detail": says}
    assert not Kit.objects.exists()
    assert not kit_events("kit_published").exists()


def test_another_places_volunteer_and_a_plain_volunteer_are_refused(
    volunteer, volunteer_elsewhere, lead, tool_centre, kit_items
):
    kit = Kit.objects.create(place=tool_centre, name_ko="꾸러미", published=True)

    for user in (volunteer_elsewhere, volunteer):
        api = as_user(user)
        assert api.post(publish_url(tool_centre), BODY, format="json").status_code == 403
        assert api.post(withdraw_url(kit)).status_code == 403
    assert APIClient().post(publish_url(tool_centre), BODY, format="json").status_code == 403

    assert Kit.objects.count() == 1
    kit.refresh_from_db()
    assert kit.published
    assert not Event.objects.filter(data__has_key="place_change").exists()


def test_a_kit_of_another_place_is_not_found_from_this_one(lead, tool_centre, other_centre):
    kit = Kit.objects.create(place=other_centre, name_ko="꾸러미", published=True)

    response = as_user(lead).post(
        reverse("api:tool-centres-withdraw-kit", args=[tool_centre.slug, kit.pk])
    )

    assert response.status_code == 404
    kit.refresh_from_db()
    assert kit.published
