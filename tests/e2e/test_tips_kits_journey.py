# ruff: noqa: F811  (fixtures imported from lending.tests.conftest are parameters here)
"""A returner leaves a tip with the keyboard on a 360 px phone, saves the item to a list, and
books a kit; each new page axe-clean in Korean and English."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lending import services
from lending.models import Booking, Kit, Tip, TitleList
from lending.tests.conftest import drill, drill_title, drills, tool_centre, volunteer  # noqa: F401
from lending.tests.factories import ItemFactory, TitleFactory

from .conftest import assert_accessible, assert_fits_phone
from .test_item_page_journey import tab_to
from .test_resident_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "leave": {"ko": "팁 남기기", "en": "Leave the tip"},
    "save": {"ko": "저장", "en": "Save"},
    "kit": {"ko": "꾸러미 예약하기", "en": "Book the kit"},
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_tip_list_and_kit_with_the_keyboard(
    page, live_server, drill, drills, tool_centre, volunteer, resident, language
):
    services.check_out(item=drill, member=resident, by=volunteer)
    services.check_in(item=drill, by=volunteer)
    cutter = TitleFactory(category=drills, name_ko="타일 커터", name_en="Tile cutter")
    ItemFactory(code="TC-CUT1", title=cutter, place=tool_centre)
    kit = Kit.objects.create(
        place=tool_centre, name_ko="욕실 타일 시공", name_en="Tile a bathroom", published=True
    )
    kit.titles.set([drill.title, cutter])
    resident.preferred_language = language
    resident.save(update_fields=["preferred_language"])
    log_in(page, live_server, resident)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )

    # The tip, typed and sent with the keyboard.
    page.goto(live_server.url + reverse("lending:title", args=[drill.title_id]))
    assert_accessible(page)
    assert_fits_phone(page)
    tab_to(page, "el => el.name === 'text'")
    page.keyboard.type("battery lasts ~30 min; bring a 10 mm bit")
    tab_to(
        page,
        f"el => el.tagName === 'BUTTON' && el.textContent.includes('{TEXT['leave'][language]}')",
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**#tips-title")
    expect(page.get_by_text("battery lasts ~30 min; bring a 10 mm bit")).to_be_visible()
    assert Tip.objects.filter(author=resident).count() == 1
    assert_accessible(page)

    # Saved to a list, which opens on its own page.
    tab_to(page, "el => el.name === 'name'")
    page.keyboard.type("Bathroom")
    tab_to(
        page,
        f"el => el.tagName === 'BUTTON' && el.textContent.trim() === '{TEXT['save'][language]}'",
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/my/lists/")
    assert TitleList.objects.get(owner=resident).name == "Bathroom"
    assert_accessible(page)
    assert_fits_phone(page)

    # The kit, dates typed into the date fields.
    page.goto(live_server.url + reverse("lending:kits"))
    assert_accessible(page)
    assert_fits_phone(page)
    start = timezone.localdate() + dt.timedelta(days=2)
    page.locator(f"#kit-{kit.pk}-start").fill(start.isoformat())
    page.locator(f"#kit-{kit.pk}-end").fill((start + dt.timedelta(days=1)).isoformat())
    tab_to(
        page, f"el => el.tagName === 'BUTTON' && el.textContent.includes('{TEXT['kit'][language]}')"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/my/bookings/")
    assert Booking.objects.filter(member=resident, start_date=start).count() == 2
    assert_accessible(page)
