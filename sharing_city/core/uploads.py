"""Uploaded documents are judged by what they are, never by their name or declared type.

A PDF is parsed with pypdf (an executable renamed `.pdf` has no PDF structure and is
refused); a photo is decoded by Pillow. Private files are shown in forms without a URL
(`PrivateFileInput`): their storage has none, and asking it for one fails the page.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 50
MAX_IMAGE_SIDE = 10_000
IMAGE_FORMATS = {"JPEG", "PNG"}


def validate_document(upload: UploadedFile, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Refuse anything but a readable PDF, JPEG or PNG within the limits; return its kind."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB."),
            code="file_too_large",
            params={"mb": max_bytes // (1024 * 1024)},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            _check_pdf(upload)
            return "pdf"
        _check_image(upload)
        return "image"
    finally:
        upload.seek(0)


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file is not a PDF, JPEG or PNG we can read."), code="file_unreadable"
    )


def _check_pdf(upload: UploadedFile) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    _("The PDF is password-protected. Upload it without a password."),
                    code="file_encrypted",
                )
            pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        logger.info("refused an upload that pypdf cannot read: %s", type(exc).__name__)
        raise _unreadable() from exc
    if pages < 1 or pages > MAX_PDF_PAGES:
        raise ValidationError(
            _("The PDF must have between 1 and %(max)s pages."),
            code="file_pages",
            params={"max": MAX_PDF_PAGES},
        )


class UnreadableImage(Exception):
    """Pillow cannot read the whole file as an image."""


class ImageBomb(UnreadableImage):
    """The image claims more pixels than Pillow's decompression-bomb limit."""


def read_image(upload: UploadedFile) -> tuple[str | None, int, int]:
    """Open and verify the whole image (a truncated or corrupt file fails); (format, w, h).

    One reading for every image upload (enrolment proofs here, title photos in lending)."""
    from PIL import Image, UnidentifiedImageError  # here: only uploads need Pillow (~10 MB)

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises at twice that: treat both as bombs.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageBomb from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage from exc
    finally:
        upload.seek(0)
    return image_format, width, height


def _check_image(upload: UploadedFile) -> None:
    try:
        image_format, width, height = read_image(upload)
    except UnreadableImage as exc:
        raise _unreadable() from exc
    if image_format not in IMAGE_FORMATS or max(width, height) > MAX_IMAGE_SIDE:
        raise _unreadable()


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for files without a public URL: links to a view that checks access."""

    template_name = "core/widgets/private_file_input.html"
    download_url: str | None = None

    def is_initial(self, value: Any) -> bool:
        # The base class asks the file for its URL, which a private storage refuses.
        return bool(value and getattr(value, "name", None))

    def format_value(self, value: Any) -> Any:
        return value if self.is_initial(value) else None

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        return context
