"""Title photos: checked by content (Pillow), never by file name, then a small thumbnail.

A text file named .jpg, a PNG bomb or a 20,000 px image is refused with a message before
anything is stored.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .exceptions import NotAtYourPlace
from .models import Event, Title, TitlePhoto

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (320, 320)


def validate_photo(upload: UploadedFile) -> None:
    """Refuse anything that is not a real JPEG, PNG or WebP within the size limits."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."), code="photo_too_large")
    from PIL import Image, UnidentifiedImageError  # here: only uploads need Pillow (~10 MB)

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises at twice that: treat both as bombs.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                image.verify()  # reads the whole file: a truncated or corrupt file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a photo we can read. Use JPEG, PNG or WebP."),
            code="photo_unreadable",
        ) from exc
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The photo is too large."), code="photo_too_big") from exc
    finally:
        upload.seek(0)
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


def make_thumbnail(upload: UploadedFile) -> ContentFile:
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=82)
    upload.seek(0)
    return ContentFile(out.getvalue())


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
        photo.thumbnail.save(f"title-{title.pk}.jpg", make_thumbnail(upload), save=False)
        photo.save()
        Event.objects.create(
            action=Event.Action.STATUS,
            at=timezone.now(),
            actor=by,
            reason="photo added",
            data={"title": title.pk, "photo": photo.pk},
        )
    return photo
