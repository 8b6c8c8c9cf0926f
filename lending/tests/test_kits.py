"""Kits and lists: a kit books one copy of each title at its place for the same dates, all or
nothing; residents keep private lists of titles."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lending import services
from lending.exceptions import ItemNotAvailable, KitNotBookable
from lending.models import Booking, Event, Kit, Occupancy, TitleList

from .factories import ItemFactory, TitleFactory

pytestmark = pytest.mark.django_db


def api(user=None, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_authenticate(user)
    return client


def soon(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def tile_kit(drills, drill, tool_centre, other_centre):
    cutter = TitleFactory(category=drills, name_ko="타일 커터", name_en="Tile cutter")
    trowel = TitleFactory(category=drills, name_ko="흙손", name_en="Trowel")
    ItemFactory(code="TC-CUT1", title=cutter, place=tool_centre)
    ItemFactory(code="TC-TRW1", title=trowel, place=tool_centre)
    ItemFactory(code="GN-TRW1", title=trowel, place=other_centre)  # another place's copy
    kit = Kit.objects.create(
        place=tool_centre, name_ko="욕실 타일 시공", name_en="Tile a bathroom", published=True
    )
    kit.titles.set([drill.title, cutter, trowel])
    return kit


def test_booking_a_kit_books_one_copy_of_each_title_at_its_place(tile_kit, resident, tool_centre):
    bookings = services.book_kit(
        kit=tile_kit, member=resident, by=resident, start=soon(2), end=soon(4)
    )

    assert sorted(b.item.code for b in bookings) == ["TC-0001", "TC-CUT1", "TC-TRW1"]
    assert {(b.place_id, b.start_date, b.end_date) for b in bookings} == {
        (tool_centre.pk, soon(2), soon(4))
    }
    assert Occupancy.objects.filter(booking__in=bookings).count() == 3
    assert Event.objects.filter(action="kit_booked", member=resident).count() == 1


def test_a_kit_with_one_item_taken_books_nothing(tile_kit, resident, other_resident, drill):
    services.book(member=other_resident, by=other_resident, item=drill, start=soon(3), end=soon(5))
    before = Booking.objects.count()

    with pytest.raises(ItemNotAvailable):
        services.book_kit(kit=tile_kit, member=resident, by=resident, start=soon(2), end=soon(4))

    assert Booking.objects.count() == before
    assert not Booking.objects.filter(member=resident).exists()
    assert not Event.objects.filter(action__in=["book", "kit_booked"], member=resident).exists()


def test_an_unpublished_kit_cannot_be_booked(tile_kit, resident):
    Kit.objects.filter(pk=tile_kit.pk).update(published=False)

    with pytest.raises(KitNotBookable):
        services.book_kit(kit=tile_kit, member=resident, by=resident, start=soon(2), end=soon(4))
    assert not Booking.objects.exists()


def test_api_lists_published_kits_only(tile_kit, tool_centre):
    Kit.objects.create(place=tool_centre, name_ko="비공개", published=False)

    response = api().get(reverse("api:lending-kits-list"))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["name_en"], len(row["titles"]), row["place"]["slug"]) == (
        "Tile a bathroom",
        3,
        "mapo-tools",
    )


def test_api_books_a_kit(tile_kit, resident):
    url = reverse("api:lending-book-kit", args=[tile_kit.pk])

    response = api(resident).post(url, {"start": soon(2), "end": soon(3)}, format="json")

    assert response.status_code == 201, response.json()
    assert len(response.json()) == 3
    assert Booking.objects.filter(member=resident, status="requested").count() == 3


def test_api_kit_refusals_are_4xx_and_change_nothing(tile_kit, resident, other_resident, drill):
    url = reverse("api:lending-book-kit", args=[tile_kit.pk])
    services.book(member=other_resident, by=other_resident, item=drill, start=soon(2), end=soon(2))

    assert api().post(url, {"start": soon(2), "end": soon(3)}).status_code == 403
    assert api(resident).post(url, {"start": soon(3), "end": soon(2)}).status_code == 400
    assert api(resident).post(url, {"start": "9999-12-31", "end": "9999-12-31"}).status_code in (
        400,
        409,
    )
    assert api(resident).post(url, {"start": "nonsense"}).status_code == 400
    taken = api(resident).post(url, {"start": soon(2), "end": soon(3)})
    assert taken.status_code == 409
    assert taken.json()["code"] == "item_unavailable"
    assert not Booking.objects.filter(member=resident).exists()


def test_kit_page_books_and_shows_why_not(client, tile_kit, resident, other_resident, drill):
    client.force_login(resident)
    page = client.get(reverse("lending:kits"))
    assert page.status_code == 200
    assert "Tile a bathroom" in page.content.decode() or "욕실 타일 시공" in page.content.decode()

    url = reverse("lending:book-kit", args=[tile_kit.pk])
    services.book(member=other_resident, by=other_resident, item=drill, start=soon(2), end=soon(2))
    refused = client.post(url, {"start": soon(2), "end": soon(3)})
    assert refused.status_code == 409
    assert not Booking.objects.filter(member=resident).exists()

    booked = client.post(url, {"start": soon(5), "end": soon(6)})
    assert booked.status_code == 302
    assert Booking.objects.filter(member=resident).count() == 3


# --- lists ----------------------------------------------------------------------------------


def test_saving_titles_to_a_list_is_private_and_harmless_twice(
    client, resident, other_resident, drill, tile_kit
):
    client.force_login(resident)
    url = reverse("lending:save-to-list", args=[drill.title.pk])

    assert client.post(url, {"name": "Bathroom"}).status_code == 302
    assert client.post(url, {"name": "  Bathroom "}).status_code == 302
    assert client.post(url, {"name": "x" * 81}).status_code == 400

    [saved] = TitleList.objects.filter(owner=resident)
    assert (saved.name, list(saved.titles.all())) == ("Bathroom", [drill.title])
    assert client.get(reverse("lending:my-lists")).content.decode().count("Bathroom") >= 1
    client.force_login(other_resident)
    assert "Bathroom" not in client.get(reverse("lending:my-lists")).content.decode()


def test_kit_page_shows_a_date_error_next_to_the_kit(client, tile_kit, resident):
    client.force_login(resident)
    url = reverse("lending:book-kit", args=[tile_kit.pk])

    response = client.post(url, {"start": soon(3), "end": soon(1)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert f'href="#kit-{tile_kit.pk}-end"' in response.content.decode()
    assert client.post(url, {"start": "31/31/2026", "end": ""}).status_code == 400
    assert not Booking.objects.exists()
