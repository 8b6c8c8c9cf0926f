"""A resident chooses how to be reached, reads their notices and renews their calendar link;
district staff send a failed notice again. On a phone (360 px), in Korean and English, axe-core
on every page, keyboard only for the actions."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from sharing_city.notifications.models import Notice, NoticePreference, NoticeStatus
from sharing_city.notifications.services import NoticeSpec, calendar_feed_of, notify_many
from sharing_city.notifications.tests.kinds import VERIFY_REMINDER

from .conftest import assert_accessible, assert_fits_phone

TEST_TEMPLATES = Path(__file__).resolve().parents[2] / "sharing_city/notifications/tests/templates"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _check(page):
    assert_accessible(page)
    assert_fits_phone(page)


def _failed_notice(member):
    notify_many([NoticeSpec(member.pk, "member", member.pk, VERIFY_REMINDER.name, "", {})])
    notice = Notice.objects.get(recipient=member)
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.FAILED, attempts=5, last_error="SMTPRecipientsRefused: 550 no user"
    )
    return notice


@pytest.mark.parametrize(
    ("language", "save_label", "saved"),
    [
        ("ko", "저장", "알림 설정을 저장했습니다."),
        ("en", "Save", "Your notice settings are saved."),
    ],
)
def test_resident_chooses_channels_and_renews_the_calendar_link(
    page, live_server, resident, language, save_label, saved
):
    _log_in(page, live_server, resident, language)

    page.goto(live_server.url + reverse("notifications:my-notices"))
    _check(page)
    page.locator("#id_sms").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name=save_label).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text(saved)).to_be_visible()
    preference = NoticePreference.objects.get(member=resident)
    assert (preference.email, preference.sms) == (True, True)
    _check(page)

    old = calendar_feed_of(resident).token
    page.goto(live_server.url + reverse("accounts:profile"))
    assert old in page.locator("#calendar-feed-url").input_value()
    with page.expect_navigation():
        page.locator(".calendar-feed button").click()
    new = calendar_feed_of(resident).token
    assert new != old
    assert new in page.locator("#calendar-feed-url").input_value()
    _check(page)


def test_staff_send_a_failed_notice_again(page, live_server, staff, resident, settings):
    engine = dict(settings.TEMPLATES[0])  # the test kind's templates live beside its tests
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]
    notice = _failed_notice(resident)
    _log_in(page, live_server, staff, "en")

    page.goto(live_server.url + reverse("notifications:failed"))
    _check(page)
    expect(page.get_by_text("550 no user")).to_be_visible()
    page.get_by_role("button", name="Send again").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text("The notice will be sent again.")).to_be_visible()
    expect(page.get_by_text("No failed notices")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT  # queued on commit, delivered at once (eager)
    _check(page)
