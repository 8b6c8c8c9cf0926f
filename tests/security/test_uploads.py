"""Photo uploads are judged by what the file is, not by its name: content, size, dimensions."""

# ruff: noqa: F811 - fixtures imported from tests.personas are used as fixture arguments
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lending.models import TitlePhoto
from tests.personas import (  # noqa: F401 - fixtures
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)

pytestmark = pytest.mark.django_db


def image_bytes(size: tuple[int, int], fmt: str = "PNG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def upload(world: World, name: str, content: bytes, content_type: str = "image/png"):  # type: ignore[no-untyped-def]
    volunteer = world.users["volunteer"]
    volunteer.preferred_language = "en"  # the messages below are checked in English
    volunteer.save(update_fields=["preferred_language"])
    return world.client("volunteer").post(
        reverse("lending:upload-photo", kwargs={"pk": world.title.pk}),
        {"image": SimpleUploadedFile(name, content, content_type), "alt_text": "a drill"},
    )


def test_a_real_small_photo_is_added(world: World) -> None:
    response = upload(world, "drill.png", image_bytes((400, 300)))

    assert response.status_code == 302
    assert TitlePhoto.objects.filter(title=world.title).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("drill.jpg", b"<script>alert(1)</script> not an image", "image/jpeg"),
        ("drill.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),  # truncated PNG
        ("drill.gif", image_bytes((10, 10), "GIF", "P"), "image/gif"),  # real, but not allowed
    ],
    ids=["text-named-jpg", "truncated-png", "gif"],
)
def test_a_file_that_is_not_an_allowed_photo_is_refused(
    world: World, name: str, content: bytes, content_type: str
) -> None:
    response = upload(world, name, content, content_type)

    assert response.status_code == 400
    assert "not a photo we can read" in response.content.decode()
    assert not TitlePhoto.objects.exists()


def test_a_photo_wider_than_the_limit_is_refused(world: World) -> None:
    response = upload(world, "wide.png", image_bytes((6001, 2), mode="1"))

    assert response.status_code == 400
    assert "at most 6000 pixels" in response.content.decode()
    assert not TitlePhoto.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(world: World) -> None:
    bomb = image_bytes((20000, 20000), mode="1")  # ~50 KB on disk, 400 megapixels decoded
    response = upload(world, "bomb.png", bomb)

    assert response.status_code == 400
    assert not TitlePhoto.objects.exists()


def test_a_file_over_five_megabytes_is_refused(world: World) -> None:
    response = upload(world, "big.png", image_bytes((10, 10)) + b"\x00" * (5 * 1024 * 1024))

    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not TitlePhoto.objects.exists()


def test_a_resident_cannot_add_a_photo(world: World) -> None:
    client = world.client("resident")
    response = client.post(
        reverse("lending:upload-photo", kwargs={"pk": world.title.pk}),
        {"image": SimpleUploadedFile("d.png", image_bytes((10, 10)), "image/png")},
    )

    assert response.status_code == 403
    assert not TitlePhoto.objects.exists()
