"""Demo photos drawn on this machine with Pillow (nothing is downloaded): a coloured card per
title with a simple pictogram for its kind of thing and its name, stored as a real TitlePhoto
and cut into renditions like an uploaded one. Titles that already have a photo are skipped,
so loading the demo again draws nothing new."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from .models import Title, TitlePhoto
from .photos import make_renditions

SIDE = 800
# Debian's fonts-nanum (a system package, installed with Chromium for the browser tests);
# without it the names are drawn in Pillow's built-in font, Latin letters only.
FONT_DIRS = [Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = ["NanumGothicBold.ttf", "DejaVuSans-Bold.ttf"]
PALETTE = [
    ((11, 92, 173), (214, 230, 247)),
    ((29, 107, 51), (222, 240, 226)),
    ((138, 75, 0), (250, 234, 214)),
    ((110, 43, 130), (236, 222, 242)),
    ((176, 0, 32), (248, 220, 224)),
    ((0, 105, 112), (214, 240, 240)),
]


def draw_demo_photos() -> int:
    """Draw a photo for every title that has none; returns how many were drawn."""
    titles = Title.objects.filter(photos__isnull=True).select_related("category")
    drawn = 0
    for title in titles.order_by("pk"):
        with transaction.atomic():
            photo = TitlePhoto(title=title, alt_text=_alt(title), position=0)
            photo.image.save(f"demo-{title.pk}.jpg", ContentFile(_draw(title)), save=False)
            photo.save()
            make_renditions(photo)
        drawn += 1
    return drawn


def _alt(title: Title) -> str:
    return f"{title.name_ko} 그림 (데모)"


def _draw(title: Title) -> bytes:
    from PIL import Image, ImageDraw

    slug = title.category.slug
    digest = hashlib.blake2s(slug.encode(), digest_size=4).digest()  # a stable colour per kind
    ink, paper = PALETTE[int.from_bytes(digest) % len(PALETTE)]
    image = Image.new("RGB", (SIDE, SIDE), paper)
    draw = ImageDraw.Draw(image)
    _pictogram(draw, slug, title, ink, paper)
    font = _font(64)
    name = title.name_ko if _has_korean_font() else (title.name_en or title.name_ko)
    lines = _wrap(draw, name, font, SIDE - 120)
    y = SIDE - 80 - 76 * len(lines)
    for line in lines:
        draw.text((60, y), line, fill=ink, font=font)
        y += 76
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _pictogram(draw: Any, slug: str, title: Title, ink: Any, paper: Any) -> None:
    """A few shapes that read as the kind of thing: a book, a drill, a tent, a case..."""
    if title.isbn or title.author or slug == "books":
        draw.rounded_rectangle((250, 90, 550, 480), 18, fill=ink)
        draw.rectangle((270, 90, 290, 480), fill=paper)
        draw.line((320, 170, 510, 170), fill=paper, width=14)
        draw.line((320, 210, 470, 210), fill=paper, width=10)
    elif "drill" in slug or "power" in slug or "saw" in slug:
        draw.rounded_rectangle((170, 150, 520, 280), 30, fill=ink)
        draw.rectangle((520, 195, 660, 235), fill=ink)
        draw.rounded_rectangle((270, 270, 360, 480), 20, fill=ink)
    elif "camp" in slug or "tent" in slug:
        draw.polygon([(400, 90), (150, 470), (650, 470)], fill=ink)
        draw.polygon([(400, 250), (330, 470), (470, 470)], fill=paper)
    elif "suitcase" in slug or "travel" in slug or "bag" in slug:
        draw.rounded_rectangle((230, 170, 570, 480), 30, fill=ink)
        draw.rounded_rectangle((330, 110, 470, 180), 20, outline=ink, width=18)
    else:
        draw.ellipse((240, 100, 560, 420), fill=ink)
        draw.ellipse((340, 200, 460, 320), fill=paper)


def _font(size: int) -> Any:
    from PIL import ImageFont

    for folder in FONT_DIRS:
        for name in FONT_FILES:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _has_korean_font() -> bool:
    return (FONT_DIRS[0] / FONT_FILES[0]).exists()


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """Greedy wrap by words (Korean titles have spaces too), at most three lines."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines[:3]
