"""QR codes for item labels and member cards, as inline SVG (segno; no user HTML inside)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str) -> SafeString:
    qr = segno.make(text, error="m")
    svg = qr.svg_inline(scale=4, border=2)
    return mark_safe(svg)  # noqa: S308 - segno output, no user text inside
