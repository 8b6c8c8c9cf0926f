# ruff: noqa: F811  (fixtures imported from lending.tests.conftest are parameters here)
"""A resident on a 360 × 740 phone finds the book action near the top of an item page, then
books through the month calendar with the keyboard only; axe-clean in Korean and English."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from lending.models import Booking
from lending.tests.conftest import drill, drill_title, drills, tool_centre  # noqa: F401

from .conftest import PHONE, assert_accessible, assert_fits_phone
from .test_resident_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUTTON = {"ko": "이 날짜로 예약", "en": "Book these dates"}
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def tab_to(page, predicate: str, limit: int = 150) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element matches the JS predicate `el => ...`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element matching {predicate}")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_book_action_in_first_screens_then_book_with_the_keyboard_through_the_calendar(
    page, live_server, drill, resident, language
):
    resident.preferred_language = language
    resident.save(update_fields=["preferred_language"])
    log_in(page, live_server, resident)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    today = timezone.localdate()
    start, end = today + dt.timedelta(days=1), today + dt.timedelta(days=3)

    page.goto(live_server.url + reverse("lending:title", args=[drill.title_id]))

    button = page.get_by_role("button", name=BUTTON[language])
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 1.5 * PHONE["height"]
    assert page.locator("table.month th[scope=col]").count() == 7
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/item-page-{language}.png")
    assert_accessible(page)
    assert_fits_phone(page)

    # Keyboard only: the pickup day, then the return day, then the book button.
    tab_to(page, f"el => (el.getAttribute('href') || '').includes('start={start}&end={start}')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**start={start}*")
    assert_accessible(page)
    tab_to(page, f"el => (el.getAttribute('href') || '').includes('start={start}&end={end}')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**end={end}*")
    assert page.locator("#id_start").input_value() == start.isoformat()
    assert page.locator("#id_end").input_value() == end.isoformat()
    assert_accessible(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/item-page-chosen-{language}.png", full_page=True)
    tab_to(page, f"el => el.tagName === 'BUTTON' && el.textContent.includes('{BUTTON[language]}')")
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + reverse("lending:my-bookings"))
    booking = Booking.objects.get(member=resident)
    assert (booking.start_date, booking.end_date, booking.item) == (start, end, drill)
    assert_accessible(page)
    assert_fits_phone(page)
