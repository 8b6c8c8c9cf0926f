# ruff: noqa: F811 - fixtures imported from test_imports are used as fixture arguments
"""The desk's uploads over the API: a title's photo and a CSV list of items; the pages' forms
and services, the same refusals (a 400 names what is wrong), desk people only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from lending.models import Event, Item, TitlePhoto

from .test_imports import HEADER, books, library, steward  # noqa: F401 - fixtures
from .test_photos import image_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def photos_url(title):
    return reverse("api:lending-title-photos", args=[title.pk])


def csv_upload(rows):
    return SimpleUploadedFile("books.csv", (HEADER + rows).encode(), "text/csv")


def test_a_volunteer_adds_a_photo_to_a_title_their_place_keeps(volunteer, drill):
    response = api_as(volunteer).post(
        photos_url(drill.title), {"image": image_file(), "alt_text": "드릴"}, format="multipart"
    )

    assert response.status_code == 201
    photo = TitlePhoto.objects.get()
    assert response.json()["id"] == photo.pk and response.json()["alt_text"] == "드릴"
    assert photo.title == drill.title and photo.thumbnail


def test_a_file_that_is_not_a_photo_is_refused_with_the_forms_message(volunteer, drill):
    fake = SimpleUploadedFile("drill.jpg", b"just some words, not a photo", "image/jpeg")

    response = api_as(volunteer).post(
        photos_url(drill.title), {"image": fake}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    missing = api_as(volunteer).post(photos_url(drill.title), {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["detail"]["image"] == [
        "This file is not a photo we can read. Use JPEG, PNG or WebP."
    ]
    assert missing.status_code == 400 and "image" in missing.json()["detail"]
    assert not TitlePhoto.objects.exists()


def test_a_resident_cannot_add_a_photo(resident, drill):
    response = api_as(resident).post(
        photos_url(drill.title), {"image": image_file()}, format="multipart"
    )

    assert response.status_code == 403
    assert not TitlePhoto.objects.exists()


def test_a_good_list_is_imported_into_the_place(books, library, steward):
    response = api_as(steward).post(
        reverse("api:lending-import"),
        {"place": library.slug, "file": csv_upload(",좋은 책,,,,,,\n")},
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["titles_created"] == 1
    item = Item.objects.get()
    assert response.json()["items"] == [item.code]
    assert item.place == library and item.title.name_ko == "좋은 책"
    assert Event.objects.get(reason="import").data == {"items": 1, "titles_created": 1}


def test_a_list_with_bad_rows_is_refused_line_by_line_and_nothing_is_imported(
    books, library, steward
):
    response = api_as(steward).post(
        reverse("api:lending-import"),
        {"place": library.slug, "file": csv_upload(",좋은 책,,,,,,\n,나쁜 책,,,,3000,,\n")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_refused"
    assert body["detail"].startswith("Nothing was imported")
    assert [error["line"] for error in body["errors"]] == [3]
    assert "is not a year" in body["errors"][0]["reason"]
    assert not Item.objects.exists()


def test_a_place_the_volunteer_does_not_work_at_is_refused_by_the_form(books, library, volunteer):
    response = api_as(volunteer).post(
        reverse("api:lending-import"),
        {"place": library.slug, "file": csv_upload(",책,,,,,,\n")},
        format="multipart",
    )

    assert response.status_code == 400 and "place" in response.json()["detail"]
    assert not Item.objects.exists()


def test_a_resident_cannot_import(books, library, resident):
    response = api_as(resident).post(
        reverse("api:lending-import"),
        {"place": library.slug, "file": csv_upload(",책,,,,,,\n")},
        format="multipart",
    )

    assert response.status_code == 403
    assert not Item.objects.exists()
