"""Compile every .po file to .mo with polib, so no GNU gettext is needed on a fresh machine."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", "var", ".git"}


class Command(BaseCommand):
    help = "Compile the project's .po translation files (no gettext tools required)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count = 0
        for po_path in Path(settings.BASE_DIR).rglob("LC_MESSAGES/*.po"):
            if SKIP.intersection(po_path.relative_to(settings.BASE_DIR).parts):
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"compiled {count} translation file(s)")
