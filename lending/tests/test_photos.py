"""Photos are checked by content: real JPEG/PNG/WebP only, at most 5 MB and 6000 px a side."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lending.models import TitlePhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_file(name="drill.png", size=(800, 600), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), f"image/{fmt.lower()}")


def upload(client, title, file):
    return client.post(
        reverse("lending:upload-photo", args=[title.pk]), {"image": file, "alt_text": "드릴"}
    )


@pytest.fixture
def desk(client, volunteer, drill):
    client.cookies["django_language"] = "en"
    client.force_login(volunteer)
    return client


def test_volunteer_adds_a_photo_and_a_thumbnail_is_made(desk, drill):
    response = upload(desk, drill.title, image_file())

    assert response.status_code == 302
    photo = TitlePhoto.objects.get()
    assert photo.alt_text == "드릴"
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 320 and thumb.format == "JPEG"
    assert photo.thumbnail.url in desk.get(reverse("lending:title", args=[drill.title_id])).text


def test_a_text_file_named_jpg_is_refused(desk, drill):
    fake = SimpleUploadedFile("drill.jpg", b"just some words, not a photo", "image/jpeg")

    response = upload(desk, drill.title, fake)

    assert response.status_code == 400
    assert "This file is not a photo we can read." in response.text
    assert not TitlePhoto.objects.exists()


def test_an_oversized_file_is_refused(desk, drill):
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), "image/png")

    response = upload(desk, drill.title, big)

    assert response.status_code == 400
    assert "larger than 5 MB" in response.text
    assert not TitlePhoto.objects.exists()


def test_too_many_pixels_is_refused(desk, drill):
    response = upload(desk, drill.title, image_file(size=(6001, 10)))

    assert response.status_code == 400
    assert "at most 6000 pixels" in response.text
    assert not TitlePhoto.objects.exists()


def test_a_gif_is_refused(desk, drill):
    response = upload(desk, drill.title, image_file("a.gif", fmt="GIF"))
    assert response.status_code == 400
    assert not TitlePhoto.objects.exists()


def test_a_resident_or_volunteer_elsewhere_cannot_add_photos(
    client, resident, volunteer_elsewhere, drill
):
    for user in (resident, volunteer_elsewhere):
        client.force_login(user)
        assert upload(client, drill.title, image_file()).status_code == 403
    assert not TitlePhoto.objects.exists()
