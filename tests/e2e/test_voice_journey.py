"""Voice (issue 19): a resident asks for an item, a neighbour says "me too", staff answer and
mark it planned, and the resident reads the answer: with the keyboard, on a 360 px phone,
each page axe-clean, in Korean and in English."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from voice.models import Answer, Ask, MeToo

from .conftest import assert_accessible, assert_fits_phone
from .test_item_page_journey import tab_to
from .test_resident_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "make": {"ko": "요청하기", "en": "Make a request"},
    "send": {"ko": "요청 보내기", "en": "Send the request"},
    "me_too": {"ko": "나도 필요해요", "en": "I need this too"},
    "answer": {"ko": "답변 보내기", "en": "Send the answer"},
    "status": {"ko": "상태 저장", "en": "Save the status"},
    "planned": {"ko": "도입 예정", "en": "Planned"},
}


def _as(page, live_server, user, language):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    log_in(page, live_server, user)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def _press(page, key: str, language: str) -> None:  # type: ignore[no-untyped-def]
    label = TEXT[key][language]
    tab_to(
        page, f"el => ['A', 'BUTTON'].includes(el.tagName) && el.textContent.trim() === '{label}'"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_ask_me_too_answer_planned_with_the_keyboard(
    page, live_server, resident, other_resident, staff, language
):
    _as(page, live_server, resident, language)
    page.goto(live_server.url + reverse("voice:list"))
    assert_accessible(page)
    assert_fits_phone(page)
    make = page.get_by_role("link", name=TEXT["make"][language])
    box = make.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740  # on the first screen
    _press(page, "make", language)
    page.wait_for_url("**/voice/new/")
    assert_accessible(page)
    assert_fits_phone(page)
    tab_to(page, "el => el.name === 'text'")
    page.keyboard.type("A four-person tent for camping")
    _press(page, "send", language)
    page.wait_for_url(re.compile(r"/voice/\d+/$"))
    ask = Ask.objects.get(asker=resident)
    assert ask.kind == "item" and ask.routed_district == resident.district
    assert_accessible(page)
    assert_fits_phone(page)

    _as(page, live_server, other_resident, language)
    page.goto(live_server.url + reverse("voice:detail", args=[ask.pk]))
    _press(page, "me_too", language)
    page.wait_for_url(f"**/voice/{ask.pk}/")
    assert MeToo.objects.filter(ask=ask, member=other_resident).count() == 1
    assert_accessible(page)

    _as(page, live_server, staff, language)
    page.goto(live_server.url + reverse("voice:inbox"))
    assert_accessible(page)
    assert_fits_phone(page)
    tab_to(page, "el => el.tagName === 'A' && el.textContent.includes('four-person tent')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/voice/{ask.pk}/")
    tab_to(page, "el => el.name === 'text'")
    page.keyboard.type("We will buy two tents next month.")
    _press(page, "answer", language)
    page.wait_for_url(f"**/voice/{ask.pk}/")
    tab_to(page, "el => el.name === 'status'")
    page.locator("select[name=status]").select_option("planned")
    tab_to(page, "el => el.name === 'reason'")
    page.keyboard.type("January budget")
    _press(page, "status", language)
    page.wait_for_url(f"**/voice/{ask.pk}/")
    ask.refresh_from_db()
    assert ask.status == "planned" and Answer.objects.filter(ask=ask).count() == 1
    assert_accessible(page)
    assert_fits_phone(page)

    _as(page, live_server, resident, language)
    page.goto(live_server.url + reverse("voice:detail", args=[ask.pk]))
    expect(page.get_by_text("We will buy two tents next month.")).to_be_visible()
    expect(page.get_by_text(TEXT["planned"][language], exact=False).first).to_be_visible()
    assert_accessible(page)
