"""Codes for item labels and member cards, as inline SVG (no user HTML inside).

QR codes are always standard QR (`segno.make_qr`): `segno.make` picks Micro QR for short
text, which jsQR, the browser's BarcodeDetector and most phone scanners cannot read. Code 128
(python-barcode) is the option for the 1D laser scanners many desks have.
"""

from __future__ import annotations

import io
import re

import segno
from django.utils.safestring import SafeString, mark_safe

SYMBOLOGIES = ("qr", "code128")


def qr_svg(text: str) -> SafeString:
    qr = segno.make_qr(text, error="m")
    # A viewBox instead of a pixel size: the label CSS sizes it in mm, quiet zone included.
    svg = qr.svg_inline(scale=4, border=4, omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno output, no user text inside


def code128_svg(text: str) -> SafeString:
    """A Code 128 bar code sized in mm (0.33 mm bars, 10-module quiet zones), without its
    XML prologue so it can sit inside the page."""
    # Imported here: python-barcode loads Pillow, which no other page needs (~10 MB per process).
    import barcode
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    barcode.get("code128", text, writer=SVGWriter()).write(
        out,
        options={"module_width": 0.33, "module_height": 12, "quiet_zone": 3.3, "write_text": False},
    )
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # Lengths in user units with a viewBox in mm, so CSS can shrink a long code to the label.
    size = re.search(r'width="([\d.]+)mm" height="([\d.]+)mm"', svg)
    assert size is not None
    width, height = size.groups()
    svg = re.sub(r'([\d.]+)mm"', r'\1"', svg)
    # Presentation attributes, not style="": the CSP allows no inline styles.
    svg = re.sub(r'style="fill:(\w+);?"', r'fill="\1"', svg)
    svg = svg.replace(
        f'width="{width}" height="{height}"',
        f'width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}" class="code128"',
        1,
    )
    return mark_safe(svg)  # noqa: S308 - python-barcode output; the code matched ITEM_CODE


def code_svg(text: str, symbology: str = "qr") -> SafeString:
    return code128_svg(text) if symbology == "code128" else qr_svg(text)
