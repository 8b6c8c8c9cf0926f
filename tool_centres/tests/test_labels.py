"""Labels and member cards: standard QR (never Micro QR) and Code 128, read back by a real
decoder (zxing-cpp). The sheets as printed are decoded in Chromium by tests/e2e."""

import io

import pytest
import segno
import zxingcpp
from barcode import Code128
from barcode.writer import ImageWriter
from django.urls import reverse
from PIL import Image

from tool_centres.labels import code128_svg, qr_svg

pytestmark = pytest.mark.django_db


def _decode(png: bytes) -> list[tuple[str, str]]:
    """(format, text) of every code zxing-cpp finds: "QR Code", "Micro QR Code", "Code 128"."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [(str(code.format), code.text) for code in found]


@pytest.mark.parametrize("text", ["TC-0001", "A1", "SC123456789"])
def test_labels_are_standard_qr_even_for_short_text(text):
    # The same call as qr_svg, rendered to PNG for the decoder.
    symbol = segno.make_qr(text, error="m")
    assert not symbol.is_micro
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=6, border=4)

    assert _decode(out.getvalue()) == [("QR Code", text)]
    assert 'class="segno"' in qr_svg(text)


def test_code128_option_decodes_as_code_128():
    out = io.BytesIO()
    Code128("TC-0001", writer=ImageWriter()).write(out, options={"write_text": False})

    assert _decode(out.getvalue()) == [("Code 128", "TC-0001")]
    svg = code128_svg("TC-0001")
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg and "style=" not in svg


def test_label_sheet_offers_code128_and_the_roll(client, volunteer, tool_centre, drill):
    client.force_login(volunteer)
    response = client.get(
        reverse("tool_centres:labels", args=[tool_centre.slug]),
        {"codes": drill.code, "symbology": "code128", "layout": "roll"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="code128"' in page and "label-layout-roll" in page
    assert page.count("<svg") == 1
