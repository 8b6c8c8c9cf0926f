"""Leads and district staff manage the roster, opening hours and closures; volunteers see them."""

import datetime as dt

import pytest
from django.urls import reverse

from lending.models import Closure, Event, Kit, OpeningHours, PlaceRole
from lending.tests.factories import assign

pytestmark = pytest.mark.django_db


def url(name, place, *args):
    return reverse(f"tool_centres:{name}", args=[place.slug, *args])


@pytest.fixture
def lead(make_member, tool_centre):
    user = make_member("lead", role="volunteer", preferred_language="en")
    assign(user, tool_centre, role=PlaceRole.Role.LEAD)
    return user


def test_lead_adds_a_volunteer_hours_and_a_closure(client, lead, tool_centre, other_resident):
    client.force_login(lead)

    added = client.post(
        url("place-change", tool_centre, "roster"),
        {"member": other_resident.member_number, "role": "volunteer"},
    )
    hours = client.post(
        url("place-change", tool_centre, "hours"),
        {"weekday": 6, "opens": "08:00", "closes": "09:30"},
    )
    closed = client.post(
        url("place-change", tool_centre, "closure"), {"date": "2026-12-31", "reason": "연말"}
    )

    assert (added.status_code, hours.status_code, closed.status_code) == (302, 302, 302)
    assert PlaceRole.objects.get(place=tool_centre, user=other_resident).role == "volunteer"
    assert OpeningHours.objects.filter(place=tool_centre, weekday=6, opens=dt.time(8)).exists()
    assert Closure.objects.get(place=tool_centre, date=dt.date(2026, 12, 31)).reason == "연말"
    assert Event.objects.filter(place=tool_centre, action="status").count() == 3
    page = client.get(url("place", tool_centre)).content.decode()
    assert other_resident.full_name in page


def test_overlapping_hours_are_refused_with_a_message(client, lead, tool_centre):
    client.force_login(lead)

    response = client.post(
        url("place-change", tool_centre, "hours"),
        {"weekday": 0, "opens": "12:00", "closes": "13:00"},
    )

    assert response.status_code == 400
    assert "Opening time must be before closing time" in response.content.decode()
    assert OpeningHours.objects.filter(place=tool_centre, weekday=0).count() == 1


def test_lead_removes_a_volunteer(client, lead, volunteer, tool_centre):
    client.force_login(lead)
    role = PlaceRole.objects.get(user=volunteer, place=tool_centre)

    response = client.post(url("place-remove", tool_centre, "roster", role.pk))

    assert response.status_code == 302
    assert not PlaceRole.objects.filter(pk=role.pk).exists()
    assert client.get(url("desk", tool_centre)).status_code == 200
    client.force_login(volunteer)
    assert client.get(url("desk", tool_centre)).status_code == 403


def test_plain_volunteer_sees_but_cannot_change(client, volunteer, tool_centre, other_resident):
    client.force_login(volunteer)
    hours = OpeningHours.objects.filter(place=tool_centre).first()

    page = client.get(url("place", tool_centre))
    add = client.post(
        url("place-change", tool_centre, "roster"),
        {"member": other_resident.member_number, "role": "lead"},
    )
    remove = client.post(url("place-remove", tool_centre, "hours", hours.pk))

    assert page.status_code == 200
    assert (add.status_code, remove.status_code) == (403, 403)
    assert not PlaceRole.objects.filter(user=other_resident).exists()
    assert OpeningHours.objects.filter(pk=hours.pk).exists()


def test_staff_of_the_district_manage_but_not_elsewhere(
    client, staff, staff_elsewhere, tool_centre
):
    client.force_login(staff_elsewhere)
    refused = client.post(url("place-change", tool_centre, "closure"), {"date": "2026-12-30"})
    client.force_login(staff)
    done = client.post(url("place-change", tool_centre, "closure"), {"date": "2026-12-30"})
    again = client.post(url("place-change", tool_centre, "closure"), {"date": "2026-12-30"})

    assert (refused.status_code, done.status_code, again.status_code) == (403, 302, 302)
    assert Closure.objects.filter(place=tool_centre, date=dt.date(2026, 12, 30)).count() == 1


@pytest.fixture
def kit_items(drill, drills, tool_centre, other_centre):
    from lending.tests.factories import ItemFactory, TitleFactory

    level = TitleFactory(category=drills, name_ko="수평계", name_en="Spirit level")
    cutter = TitleFactory(category=drills, name_ko="타일 커터", name_en="Tile cutter")
    ItemFactory(code="TC-0101", title=level, place=tool_centre)
    ItemFactory(code="TC-0102", title=cutter, place=tool_centre)
    ItemFactory(code="GN-0001", title=cutter, place=other_centre)
    return level, cutter


def test_lead_publishes_a_kit_residents_can_book_and_withdraws_it(
    client, lead, tool_centre, kit_items
):
    client.force_login(lead)

    published = client.post(
        url("place-change", tool_centre, "kit"),
        {
            "name_ko": "욕실 타일 붙이기",
            "name_en": "Tile a bathroom",
            "item_codes": "tc-0101\nTC-0102",
        },
    )

    assert published.status_code == 302
    kit = Kit.objects.get(place=tool_centre)
    assert kit.published and set(kit.titles.all()) == set(kit_items)
    assert "Tile a bathroom" in client.get(url("place", tool_centre)).content.decode()
    assert "Tile a bathroom" in client.get(reverse("lending:kits")).content.decode()

    withdrawn = client.post(url("place-remove", tool_centre, "kit", kit.pk))

    assert withdrawn.status_code == 302
    assert not Kit.objects.get(pk=kit.pk).published
    assert "Tile a bathroom" not in client.get(reverse("lending:kits")).content.decode()


@pytest.mark.parametrize(
    ("codes", "says"),
    [
        ("TC-0101 GN-0001", "These codes are not copies held here: GN-0001."),
        ("TC-0101 TC-0101", "A kit holds between 2 and 12 different titles."),
        ("", "This field is required."),
    ],
)
def test_a_kit_of_copies_held_elsewhere_or_of_one_title_is_refused_with_a_message(
    client, lead, tool_centre, kit_items, codes, says
):
    client.force_login(lead)

    response = client.post(
        url("place-change", tool_centre, "kit"), {"name_ko": "꾸러미", "item_codes": codes}
    )

    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Kit.objects.exists()


def test_a_volunteer_who_is_not_a_lead_cannot_publish_a_kit(
    client, volunteer, tool_centre, kit_items
):
    client.force_login(volunteer)

    response = client.post(
        url("place-change", tool_centre, "kit"),
        {"name_ko": "꾸러미", "item_codes": "TC-0101 TC-0102"},
    )

    assert response.status_code == 403
    assert not Kit.objects.exists()
