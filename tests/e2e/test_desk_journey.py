# ruff: noqa: F811 - lending fixtures are imported, then used as fixture arguments
"""A volunteer runs the desk: scan a member card, scan two items, check them out, check one
in as damaged; a repair ticket appears and the item can no longer be booked. On a phone and
on a desktop, with the mouse and with the keyboard only (a wedge scanner types code + Enter)."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from lending import services as lending
from lending.exceptions import ItemNotAvailable
from lending.models import Item, LendingRule, Loan
from lending.tests.conftest import (  # noqa: F401 - shared lending fixtures
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
)
from lending.tests.factories import ItemFactory
from tool_centres.models import RepairTicket

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _scan(page, code):
    """What a keyboard-wedge scanner does: type into the focused scan field, then Enter."""
    field = page.get_by_label("Scan or type a member card, phone, name or item code")
    assert field.evaluate("el => el === document.activeElement"), "the scan field lost focus"
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_to(page, name, limit=60):
    """Keyboard only: Tab until the named control has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if label == name:
            return
    raise AssertionError(f"could not reach {name!r} with Tab")


def _assert_not_bookable(item, member):
    item.refresh_from_db()
    assert item.status == Item.Status.MAINTENANCE
    with pytest.raises(ItemNotAvailable):
        lending.book(
            member=member,
            by=member,
            item=item,
            start=dt.date.today() + dt.timedelta(days=2),
            end=dt.date.today() + dt.timedelta(days=3),
        )


@pytest.mark.parametrize("viewport", ["page", "desktop_page"])
def test_scan_check_out_two_check_in_one_damaged(
    request, viewport, live_server, volunteer, resident, other_resident, drill, second_drill
):
    page = request.getfixturevalue(viewport)
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("accounts:volunteer-home"))
    page.get_by_role("link", name="Mapo Tool Library").click()
    expect(page.get_by_role("heading", name="Desk at Mapo Tool Library")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    _scan(page, resident.member_number)
    expect(page.get_by_role("heading", name=resident.full_name)).to_be_visible()
    _scan(page, drill.code)
    _scan(page, second_drill.code)
    assert_accessible(page)
    page.get_by_role("button", name="Check out 2 items").click()
    expect(page.get_by_text("2 items lent:")).to_be_visible()
    assert Loan.objects.open().filter(member=resident).count() == 2
    assert_accessible(page)
    assert_fits_phone(page)

    # An unknown code: large, translated, and the scan field keeps focus.
    _scan(page, "NO-SUCH-CODE")
    assert "Nothing has the code" in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    _scan(page, drill.code)
    expect(page.get_by_role("heading", name="Check in TC-0001")).to_be_visible()
    page.get_by_label("Damaged").check()
    page.get_by_label("Note on the condition").fill("Chuck wobbles")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("Repair ticket #")).to_be_visible()
    assert_accessible(page)

    ticket = RepairTicket.objects.get(item=drill)
    assert ticket.status == RepairTicket.Status.OPEN and ticket.note == "Chuck wobbles"
    _assert_not_bookable(drill, other_resident)

    page.get_by_role("link", name="Repairs", exact=True).click()
    expect(page.get_by_role("heading", name=f"#{ticket.pk} TC-0001", exact=False)).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    for name in ("Today", "Inventory", "Labels and cards", "Volunteers and hours", "Transfers"):
        # Every desk page has an h1: wait for the next one, not the page the click left.
        with page.expect_navigation():
            page.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        assert_fits_phone(page)
    page.get_by_role("link", name="Labels and cards", exact=True).click()
    page.get_by_label("Item codes, one per line or separated by spaces").fill("TC-0001 TC-0002")
    page.get_by_role("button", name="Make a sheet of labels").click()
    assert page.locator(".label-qr svg").count() == 2
    assert_accessible(page)


def test_the_same_with_the_keyboard_only(
    page, live_server, volunteer, resident, other_resident, drill, second_drill
):
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("tool_centres:desk", args=["mapo-tools"]))

    _scan(page, resident.member_number)
    _scan(page, drill.code)
    _scan(page, second_drill.code)
    _tab_to(page, "Check out 2 items")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("2 items lent:")).to_be_visible()
    assert Loan.objects.open().filter(member=resident).count() == 2

    _scan(page, drill.code)
    # The condition has focus (on "OK"): arrow down to "Damaged", Tab to the note and on.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Cracked case")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the check-in form (its button is in the bar)
    expect(page.get_by_text("Repair ticket #")).to_be_visible()
    assert_accessible(page)

    loan = Loan.objects.get(item=drill)
    assert loan.return_condition == "damaged"
    assert RepairTicket.objects.get(item=drill).note == "Cracked case"
    _assert_not_bookable(drill, other_resident)


# --- Scanner only, at 360 x 740: card, then Enter -------------------------------------------


def _on_first_screen(page, locator):
    """Inside the 740 px viewport as the page is now, without the volunteer scrolling."""
    box = locator.bounding_box()  # relative to the viewport
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740, f"primary action at {box}"


def test_scanner_only_check_out_of_a_booked_pickup_at_phone_size(
    page, live_server, volunteer, resident, drill
):
    today = dt.date.today()
    booking = lending.book(
        member=resident, by=resident, item=drill, start=today, end=today + dt.timedelta(days=2)
    )
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("tool_centres:desk", args=["mapo-tools"]))

    _scan(page, resident.member_number)
    expect(page.get_by_text("To collect here today")).to_be_visible()
    action = page.get_by_role("button", name="Check out 1 pickup")
    _on_first_screen(page, action)
    assert_accessible(page)
    assert_fits_phone(page)

    # One keystroke after the scans: Enter in the empty, focused scan field.
    field = page.get_by_label("Scan or type a member card, phone, name or item code")
    assert field.evaluate("el => el === document.activeElement")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text("1 item lent:")).to_be_visible()
    loan = Loan.objects.get(member=resident)
    assert loan.item == drill and loan.booking_id == booking.pk
    assert_accessible(page)


def test_basket_action_stays_on_the_first_screen(
    page, live_server, volunteer, resident, drill, second_drill
):
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("tool_centres:desk", args=["mapo-tools"]))
    _scan(page, resident.member_number)
    _scan(page, drill.code)
    _scan(page, second_drill.code)
    _on_first_screen(page, page.get_by_role("button", name="Check out 2 items"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("2 items lent:")).to_be_visible()

    _scan(page, drill.code)
    _on_first_screen(page, page.get_by_role("button", name="Check in", exact=True))
    assert_accessible(page)


def test_verify_a_member_at_the_desk_with_the_keyboard(page, live_server, volunteer, resident):
    """An unverified member: open "Mark verified", choose the ID seen, tick the address, done."""
    resident.is_verified = False
    resident.save(update_fields=["is_verified"])
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("tool_centres:desk", args=["mapo-tools"]))
    _scan(page, resident.member_number)
    expect(page.get_by_text("Not verified yet")).to_be_visible()

    _tab_to(page, "Mark verified")
    page.keyboard.press("Enter")  # the summary opens the <details>
    page.keyboard.press("Tab")
    select = page.get_by_label("ID seen")
    assert select.evaluate("el => el === document.activeElement")
    select.select_option("passport")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the address checkbox
    assert page.get_by_label("The address on the ID").is_checked()
    assert_accessible(page)
    assert_fits_phone(page)
    page.keyboard.press("Tab")  # the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text("Resident is verified.")).to_be_visible()
    assert not page.get_by_text("Not verified yet").is_visible()
    resident.refresh_from_db()
    assert resident.is_verified
    assert_accessible(page)


# --- Label sheets as printed: decoded by zxing-cpp and by the desk's own jsQR --------------

JSQR = settings.BASE_DIR / "tool_centres/static/tool_centres/vendor/jsQR.js"

_JSQR_EACH_SVG = """async () => {
  const out = [];
  for (const svg of document.querySelectorAll('.label-qr svg')) {
    const blob = new Blob([new XMLSerializer().serializeToString(svg)], {type: 'image/svg+xml'});
    const img = new Image();
    img.src = URL.createObjectURL(blob);
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 240;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 240, 240);
    ctx.drawImage(img, 0, 0, 240, 240);
    const data = ctx.getImageData(0, 0, 240, 240);
    const found = jsQR(data.data, 240, 240);
    out.push(found ? found.data : null);
  }
  return out;
}"""


def _print_sheet(browser, live_server, user, path):
    """The sheet as the printer gets it: print media, A4 width, 2 device pixels per CSS px."""
    import zxingcpp
    from PIL import Image

    context = browser.new_context(
        viewport={"width": 794, "height": 1123}, device_scale_factor=2, bypass_csp=True
    )
    page = context.new_page()
    _log_in(page, live_server, user)
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    png = page.screenshot(full_page=True)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    page.emulate_media(media="screen")
    return page, context, sorted((str(code.format), code.text) for code in found)


def test_label_sheets_decode_as_standard_qr_and_code_128(
    browser, live_server, volunteer, resident, drill, second_drill
):
    labels = reverse("tool_centres:labels", args=["mapo-tools"])
    codes = f"?codes={drill.code}+{second_drill.code}"

    page, context, found = _print_sheet(browser, live_server, volunteer, labels + codes)
    assert found == [("QR Code", drill.code), ("QR Code", second_drill.code)]
    page.add_script_tag(path=str(JSQR))
    assert page.evaluate(_JSQR_EACH_SVG) == [drill.code, second_drill.code]
    assert_accessible(page)
    context.close()

    page, context, found = _print_sheet(
        browser, live_server, volunteer, labels + codes + "&symbology=code128&layout=roll"
    )
    assert found == [("Code 128", drill.code), ("Code 128", second_drill.code)]
    context.close()

    cards = reverse("tool_centres:cards", args=["mapo-tools"])
    page, context, found = _print_sheet(
        browser, live_server, volunteer, cards + f"?members={resident.member_number}"
    )
    assert found == [("QR Code", resident.member_number)]
    page.add_script_tag(path=str(JSQR))
    assert page.evaluate(_JSQR_EACH_SVG) == [resident.member_number]
    context.close()


# --- Every desk page, axe-clean at 360 px, in English and Korean -----------------------------

DESK_PAGES = ("desk", "today", "repairs", "transfers", "inventory", "place", "labels", "cash")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_desk_page_is_axe_clean_on_a_phone(
    page, live_server, volunteer, resident, drill, language
):
    resident.is_verified = False  # the member panel then shows its blocks and the verify form
    resident.save(update_fields=["is_verified"])
    # A deposit to collect on the desk, and a line in the cash book.
    LendingRule.objects.filter(category=drill.title.category).update(deposit=30_000)
    other = ItemFactory(code="TC-0042", title=drill.title, place=drill.place)
    lending.check_out(item=other, member=resident, by=volunteer)
    _log_in(page, live_server, volunteer)
    page.goto(live_server.url + reverse("tool_centres:desk", args=["mapo-tools"]))
    _scan(page, resident.member_number)
    _scan(page, drill.code)
    volunteer.preferred_language = language
    volunteer.save(update_fields=["preferred_language"])

    cards = f"?members={resident.member_number}"  # the member-card sheet
    for name, query in [*((name, "") for name in DESK_PAGES), ("cards", cards)]:
        path = reverse(f"tool_centres:{name}", args=["mapo-tools"]) + query
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, name
        assert page.locator("html").get_attribute("lang") == language, name
        assert_accessible(page)
        assert_fits_phone(page)
