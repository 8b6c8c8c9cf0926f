"""A newcomer joins, sees their member card, switches to Korean and logs out, on a phone."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from sharing_city.accounts.models import User

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_in_member_card_korean_log_out(page, live_server, districts):
    url = live_server.url
    page.goto(url + reverse("core:home"))
    # Start in English so the switch to Korean is a visible change.
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_role("link", name="Join", exact=True).first.click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Ji-woo Han")
    page.get_by_label("Email").fill("jiwoo@example.org")
    page.get_by_label("Mobile phone").fill("010-2345-6789")
    page.get_by_label("District").select_option(label="Mapo-gu")
    page.get_by_label("Language").select_option("en")
    page.get_by_label("Password", exact=True).fill("a-long-secret-42")
    page.get_by_label("Password confirmation").fill("a-long-secret-42")
    # Forgetting the consents is refused with a message, and nothing is created.
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "You must accept the terms of use to join." in page.content()
    assert not User.objects.filter(email="jiwoo@example.org").exists()
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill("a-long-secret-42")
    page.get_by_label("Password confirmation").fill("a-long-secret-42")
    page.get_by_label("I accept the terms of use.").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create my account").click()

    # "Check your email"; the link in it confirms the address and signs the member in.
    page.wait_for_url(url + reverse("accounts:signup-sent"))
    assert_accessible(page)
    assert_fits_phone(page)
    member = User.objects.get(email="jiwoo@example.org")
    (sent,) = mail.outbox
    found = re.search(r"/accounts/confirm/\S+/", sent.body)
    assert found, sent.body
    page.goto(url + found.group(0))
    page.wait_for_url(url + reverse("accounts:profile"))
    expect(page.get_by_role("heading", name="Member card")).to_be_visible()
    assert member.member_number in page.locator(".member-number").inner_text()
    assert page.locator(".member-card-qr svg").count() == 1
    assert_accessible(page)
    assert_fits_phone(page)

    # Log out, then log in again with the email address.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email or username").fill("jiwoo@example.org")
    page.get_by_label("Password").fill("a-long-secret-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + reverse("accounts:profile"))
    assert_accessible(page)

    page.get_by_role("button", name="한국어").click()
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.get_by_role("heading", name="회원증")).to_be_visible()
    member.refresh_from_db()
    assert member.preferred_language == "ko"
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url(url + reverse("core:home"))
    expect(page.get_by_role("link", name="로그인").first).to_be_visible()
    assert_accessible(page)


def test_keyboard_reaches_main_content_through_skip_link(page, live_server):
    page.goto(live_server.url + reverse("core:home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="본문 바로가기")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
