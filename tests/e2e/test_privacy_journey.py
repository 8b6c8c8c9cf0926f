"""Privacy on a phone: join with consent to the terms and the privacy notice, see who looked at
my data on the profile, and agree again when a new version of the privacy notice is published."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind, Consent, User

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

V1 = {"terms": "2026-12-07", "privacy": "2026-12-07"}


def _check(page) -> None:
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_fits_phone(page)


def test_join_with_consent_see_who_looked_and_agree_again(
    page, live_server, districts, staff, settings
):
    settings.POLICY_VERSIONS = V1
    url = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.goto(url + reverse("accounts:signup"))
    _check(page)

    # Both documents are one link away from the form, readable on a phone.
    page.locator("main").get_by_role("link", name="Privacy notice").click()
    page.wait_for_url(url + reverse("accounts:privacy"))
    assert "2026-12-07" in page.content()
    _check(page)
    page.go_back()
    page.get_by_label("Name").fill("Ji-woo Han")
    page.get_by_label("Email").fill("jiwoo@example.org")
    page.get_by_label("District").select_option(label="Mapo-gu")
    page.get_by_label("Language").select_option("en")
    page.get_by_label("Password", exact=True).fill("a-long-secret-42")
    page.get_by_label("Password confirmation").fill("a-long-secret-42")
    # By keyboard: Space ticks a box, Enter sends the form.
    page.get_by_label("I accept the terms of use.").focus()
    page.keyboard.press("Space")
    page.get_by_label("I have read the privacy notice").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Create my account").focus()
    page.keyboard.press("Enter")
    # The same answer for every address; the link in the email confirms it and signs in.
    page.wait_for_url(url + reverse("accounts:signup-sent"))
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _check(page)
    (sent,) = mail.outbox
    link = re.search(r"/accounts/confirm/\S+/", sent.body).group(0)
    page.goto(url + link)
    page.wait_for_url(url + reverse("accounts:profile"))
    member = User.objects.get(email="jiwoo@example.org")
    assert not member.email_confirmation_pending
    assert set(Consent.objects.filter(member=member).values_list("document", "version")) == {
        ("terms", "2026-12-07"),
        ("privacy", "2026-12-07"),
    }
    assert "Nobody has looked at your personal data yet." in page.content()
    _check(page)

    # District staff open the member's data: the profile says who (role, place), not the name.
    record_access(staff, member, AccessKind.HOMESHARE_APPLICATION, member, where="마포구")
    page.reload()
    looked = page.locator("section", has=page.get_by_role("heading", name="Who looked at my data"))
    assert "District staff · 마포구 · Home-share application" in looked.inner_text()
    assert staff.full_name not in looked.inner_text()
    _check(page)

    # A new privacy notice: the next page asks first, in Korean too.
    settings.POLICY_VERSIONS = {**V1, "privacy": "2027-03-01"}
    page.goto(url + reverse("lending:catalogue"))
    page.wait_for_url(lambda u: reverse("accounts:consent") in u)
    _check(page)
    page.context.add_cookies([{"name": "django_language", "value": "ko", "url": url}])
    page.reload()
    expect(page.get_by_role("heading", name="바뀐 내용에 동의해 주세요")).to_be_visible()
    _check(page)
    page.get_by_role("main").get_by_role("link", name="개인정보 처리방침").click()
    expect(page.get_by_role("heading", name="개인정보 처리방침").first).to_be_visible()
    _check(page)
    page.go_back()
    page.get_by_role("button", name="동의하고 계속하기").click()
    assert "확인란을 선택해 주세요" in page.content()  # refused without the box: 400
    _check(page)
    page.get_by_label("바뀐 내용을 읽었으며 이에 동의합니다.").check()
    page.get_by_role("button", name="동의하고 계속하기").click()
    page.wait_for_url(url + reverse("lending:catalogue"))
    assert Consent.objects.filter(member=member, document="privacy", version="2027-03-01").exists()
    _check(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_city_admin_searches_the_access_log_on_a_phone(
    page, live_server, city_admin, staff, resident, language
):
    from django.conf import settings as django_settings
    from django.test import Client

    record_access(staff, resident, AccessKind.DESK_MEMBER, resident, where="마포 공구도서관")
    client = Client()
    client.force_login(city_admin)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {"name": "django_language", "value": language, "url": live_server.url},
            {"name": session.key, "value": session.value, "url": live_server.url},
        ]
    )
    page.goto(live_server.url + reverse("accounts:access-log"))
    assert resident.member_number in page.content()
    _check(page)
    page.locator("#id_member").fill(resident.member_number)
    page.locator("#id_member").press("Enter")
    page.wait_for_url(lambda u: "member=" in u)
    assert page.locator("tbody tr").count() == 1
    _check(page)
