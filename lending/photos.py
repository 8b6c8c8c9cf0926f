"""Title photos: checked by content (Pillow), never by file name, then a small thumbnail.

A text file named .jpg, a PNG bomb or a 20,000 px image is refused with a message before
anything is stored.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing_city.core.events import CITY
from sharing_city.core.uploads import ImageBomb, UnreadableImage, read_image

from . import access
from .exceptions import NotAtYourPlace
from .models import Event, Title, TitlePhoto

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Each photo is cut once, when it is added, into square renditions of these widths in WebP
# and in JPEG (the fallback), stored beside each other under titles/r/<photo id>/; the 320 px
# JPEG is also the photo's `thumbnail`. Pages pick a size with srcset, nothing is resized
# per request. (No table column: the names follow from the photo's id.)
RENDITION_WIDTHS = (160, 320, 640)
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
RENDITION_DIR = "titles/r"


def validate_photo(upload: UploadedFile) -> None:
    """Refuse anything that is not a real JPEG, PNG or WebP within the size limits."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."), code="photo_too_large")
    try:
        image_format, width, height = read_image(upload)
    except ImageBomb as exc:
        raise ValidationError(_("The photo is too large."), code="photo_too_big") from exc
    except UnreadableImage as exc:
        raise ValidationError(
            _("This file is not a photo we can read. Use JPEG, PNG or WebP."),
            code="photo_unreadable",
        ) from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("This file is not a photo we can read. Use JPEG, PNG or WebP."),
            code="photo_format",
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _("The photo is at most %(max)d pixels on each side.") % {"max": MAX_SIDE},
            code="photo_dimensions",
        )


def rendition_name(photo_pk: int, width: int, extension: str) -> str:
    return f"{RENDITION_DIR}/{photo_pk}/{width}.{extension}"


def make_renditions(photo: TitlePhoto) -> None:
    """Cut the photo into its renditions (square, centred) and point `thumbnail` at the
    320 px JPEG. Running it again rewrites the same files."""
    from PIL import Image, ImageOps

    with photo.image.open("rb") as source, Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    for width in RENDITION_WIDTHS:
        square = ImageOps.fit(image, (width, width), Image.Resampling.LANCZOS)
        for extension, image_format in RENDITION_FORMATS.items():
            out = io.BytesIO()
            square.save(out, format=image_format, quality=78)
            name = rendition_name(photo.pk, width, extension)
            if default_storage.exists(name):
                default_storage.delete(name)  # keep the name: pages derive it from the id
            default_storage.save(name, ContentFile(out.getvalue()))
    photo.thumbnail.name = rendition_name(photo.pk, 320, "jpg")
    photo.save(update_fields=["thumbnail"])


@dataclass(frozen=True)
class Thumbnail:
    """What a page needs to show a title's first photo: srcsets of both formats, the JPEG
    fallback, its alt text and its intrinsic size (no layout shift)."""

    src: str
    alt: str
    webp_srcset: str = ""
    jpeg_srcset: str = ""
    width: int = 320


def thumbnail_of(photo: TitlePhoto, title_name: str) -> Thumbnail:
    alt = photo.alt_text or title_name
    if not photo.thumbnail.name.startswith(f"{RENDITION_DIR}/"):
        # A photo from before renditions: its one JPEG thumbnail (or the original).
        return Thumbnail(src=(photo.thumbnail or photo.image).url, alt=alt)

    def srcset(extension: str) -> str:
        return ", ".join(
            f"{default_storage.url(rendition_name(photo.pk, w, extension))} {w}w"
            for w in RENDITION_WIDTHS
        )

    return Thumbnail(
        src=photo.thumbnail.url, alt=alt, webp_srcset=srcset("webp"), jpeg_srcset=srcset("jpg")
    )


def attach_thumbnails(titles: Iterable[Title]) -> None:
    """Set `thumb` on each title (its first photo's Thumbnail, or None): one query a page."""
    titles = list(titles)
    first: dict[int, TitlePhoto] = {}
    photos = TitlePhoto.objects.filter(title_id__in=[t.pk for t in titles]).order_by(
        "title_id", "position", "pk"
    )
    for photo in photos:
        first.setdefault(photo.title_id, photo)
    for title in titles:
        found = first.get(title.pk)
        title.thumb = thumbnail_of(found, title.name) if found else None  # type: ignore[attr-defined]


def can_add_photo(user: Any, title: Title) -> bool:
    """Desk people at a place that keeps a copy of the title."""
    return access.places_worked_by(user).filter(items__title=title).exists()


def add_photo(*, title: Title, upload: UploadedFile, alt_text: str, by: Any) -> TitlePhoto:
    """Store a validated photo and its thumbnail; the event log records who added it."""
    validate_photo(upload)
    if not can_add_photo(by, title):
        raise NotAtYourPlace
    from PIL import Image

    with Image.open(upload) as image:
        extension = ALLOWED_FORMATS[image.format or "JPEG"]
    upload.seek(0)
    with transaction.atomic(durable=True):
        position = title.photos.count()
        photo = TitlePhoto(title=title, alt_text=alt_text or title.name, position=position)
        photo.image.save(f"title-{title.pk}.{extension}", upload, save=False)
        photo.save()
        make_renditions(photo)
        Event.objects.create(
            action=Event.Action.STATUS,
            at=timezone.now(),
            actor=by,
            where=CITY,  # a title belongs to the whole catalogue
            subject=f"title:{title.pk}",
            reason="photo added",
            data={"title": title.pk, "photo": photo.pk},
        )
    return photo
