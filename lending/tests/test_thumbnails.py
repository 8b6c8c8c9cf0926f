"""Result cards show each title's first photo: cut once into square renditions (WebP and a
JPEG fallback), served with srcset and lazy loading; a labelled placeholder when none."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from lending.demo_photos import draw_demo_photos
from lending.models import TitlePhoto
from lending.photos import RENDITION_WIDTHS, make_renditions, rendition_name

from .factories import ItemFactory, TitleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def add_photo(title, size=(900, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, format="JPEG")
    photo = TitlePhoto(title=title, alt_text="A red drill", position=0)
    photo.image.save("drill.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    make_renditions(photo)
    return photo


def test_renditions_are_square_webp_and_jpeg_at_each_width(drill):
    photo = add_photo(drill.title)

    for width in RENDITION_WIDTHS:
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            name = rendition_name(photo.pk, width, extension)
            with default_storage.open(name) as f, Image.open(f) as image:
                assert (image.format, image.size) == (image_format, (width, width))
    photo.refresh_from_db()
    assert photo.thumbnail.name == rendition_name(photo.pk, 320, "jpg")


def test_result_card_shows_the_first_photo_with_srcset_lazily(english, drill):
    photo = add_photo(drill.title)
    second = add_photo(drill.title)
    TitlePhoto.objects.filter(pk=second.pk).update(position=1)

    text = english.get(reverse("lending:catalogue"), {"q": "drill"}).text

    card = text[text.index('<li class="title-row">') :]
    assert '<source type="image/webp" srcset="' in card
    assert f"/r/{photo.pk}/160.webp 160w" in card and f"/r/{photo.pk}/640.webp 640w" in card
    assert f"/r/{photo.pk}/320.jpg" in card and 'loading="lazy"' in card
    assert 'alt="A red drill"' in card and 'width="320" height="320"' in card


def test_result_card_without_a_photo_has_a_labelled_placeholder(english, drill):
    text = english.get(reverse("lending:catalogue"), {"q": "drill"}).text

    assert 'role="img" aria-label="No photo of Cordless drill 18 V yet"' in text
    assert "<picture" not in text


def test_catalogue_reads_the_cards_photos_in_one_query_whatever_the_rows(
    english, drills, tool_centre
):
    def count_queries(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        english.get(url)  # caches warm
        with CaptureQueriesContext(connection) as queries:
            english.get(url)
        return len(queries)

    title = TitleFactory(category=drills, name_ko="망치 1", name_en="Hammer 1")
    ItemFactory(title=title, place=tool_centre)
    add_photo(title)
    url = reverse("lending:catalogue") + "?q=hammer"
    one = count_queries(url)
    for n in range(2, 12):
        more = TitleFactory(category=drills, name_ko=f"망치 {n}", name_en=f"Hammer {n}")
        ItemFactory(title=more, place=tool_centre)
        add_photo(more)

    assert count_queries(url) == one


def test_demo_photos_are_drawn_once_for_titles_without_one(drill, second_drill):
    other = TitleFactory(category=drill.title.category, name_ko="해머드릴", name_en="Hammer drill")
    add_photo(other)

    assert draw_demo_photos() == 1  # the drill title only
    assert draw_demo_photos() == 0
    photo = TitlePhoto.objects.get(title=drill.title)
    assert "데모" in photo.alt_text
    with default_storage.open(rendition_name(photo.pk, 160, "webp")) as f:
        assert Image.open(f).size == (160, 160)
    assert re.match(r"titles/r/\d+/320\.jpg", photo.thumbnail.name)


def test_item_page_shows_the_first_photo_large_with_srcset(english, drill):
    photo = add_photo(drill.title)

    text = english.get(reverse("lending:title", args=[drill.title_id])).text

    assert '<picture class="thumb thumb-large">' in text
    assert f"/r/{photo.pk}/640.webp 640w" in text and 'loading="lazy"' in text
