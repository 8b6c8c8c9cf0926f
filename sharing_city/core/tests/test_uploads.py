"""Documents are judged by content: real PDFs and photos pass, anything else is refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from sharing_city.core.uploads import validate_document


def _pdf(pages: int = 1) -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"), [(_pdf(), "pdf"), (_image("PNG"), "image"), (_image("JPEG"), "image")]
)
def test_real_documents_pass(content, kind) -> None:
    assert validate_document(SimpleUploadedFile("x.pdf", content)) == kind


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "file_unreadable"),
        (b"%PDF-1.7\n" + b"\x00" * 200, "file_unreadable"),
        (_image("GIF"), "file_unreadable"),
        (_pdf(51), "file_pages"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "file_too_large"),
    ],
    ids=["exe", "pdf-header-only", "gif", "too-many-pages", "too-large"],
)
def test_anything_else_is_refused_with_a_reason(content, code) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile("enrolment.pdf", content))

    assert refused.value.code == code
