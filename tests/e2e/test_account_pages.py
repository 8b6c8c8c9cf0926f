"""The site's own password and error pages pass axe-core at 360 px, in Korean and English."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANONYMOUS = [
    ("accounts:password-reset", ()),
    ("accounts:password-reset-done", ()),
    ("accounts:password-reset-complete", ()),
    ("accounts:password-reset-confirm", ("MQ", "bad-token")),
]
SIGNED_IN = [("accounts:password-change", ()), ("accounts:password-change-done", ())]


def _cookies(page, live_server, language, client=None):
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if client is not None:
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        cookies.append({"name": session.key, "value": session.value, "url": live_server.url})
    page.context.clear_cookies()
    page.context.add_cookies(cookies)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_account_and_error_pages_are_accessible_on_a_phone(page, live_server, resident, language):
    _cookies(page, live_server, language)
    for name, args in ANONYMOUS:
        page.goto(live_server.url + reverse(name, args=args))
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_fits_phone(page)
    response = page.goto(live_server.url + "/no-such-page/")
    assert response is not None and response.status == 404
    assert_accessible(page)
    assert_fits_phone(page)

    client = Client()
    client.force_login(resident)
    _cookies(page, live_server, language, client)
    for name, args in SIGNED_IN:
        page.goto(live_server.url + reverse(name, args=args))
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_fits_phone(page)
