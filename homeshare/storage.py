"""Where students' proofs of enrolment live: outside MEDIA_ROOT, under a random name.

Nothing here has a URL. MEDIA_URL (served by Django itself in DEBUG, by the web server in
production) cannot reach these files; the only way out is the `enrolment-proof` view, which asks
homeshare.access first. In production point HOMESHARE_PRIVATE_ROOT at a volume the web server
does not serve (or swap this storage for a private bucket).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage without URLs; its root is read from settings when used."""

    def __init__(self) -> None:
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.HOMESHARE_PRIVATE_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private file: download it through the view that checks access.")


private_storage = PrivateStorage()


def enrolment_proof_path(instance: Any, filename: str) -> str:
    """A random name, so a path seen once (a log, a backup listing) leads to nothing else."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        extension = ""
    return f"homeshare/enrolment/{uuid.uuid4().hex}{extension}"
