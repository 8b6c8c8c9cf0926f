"""The password pages and the error pages are the site's own, in Korean and in English: the
site's header and footer, never Django admin's ("Django 관리", its theme toggle)."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE = {"ko": "공유서울", "en": "Sharing City"}
ADMIN_MARKS = ("Django 관리", "Django administration", "theme-toggle", "admin/css")


def page(client, language: str, url: str, status: int = 200) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == status, url
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert SITE[language] in html
    for mark in ADMIN_MARKS:
        assert mark not in html, (url, mark)
    return html


@pytest.mark.parametrize(
    ("language", "heading"), [("ko", "비밀번호 재설정"), ("en", "Reset your password")]
)
def test_password_reset_pages_are_the_sites(client, language, heading):
    assert heading in page(client, language, reverse("accounts:password-reset"))
    page(client, language, reverse("accounts:password-reset-done"))
    page(client, language, reverse("accounts:password-reset-complete"))
    confirm = reverse("accounts:password-reset-confirm", args=["MQ", "bad-token"])
    assert reverse("accounts:password-reset") in page(client, language, confirm)


@pytest.mark.parametrize(
    ("language", "heading", "done"),
    [
        ("ko", "비밀번호 바꾸기", "비밀번호가 변경되었습니다"),
        ("en", "Change your password", "Password changed"),
    ],
)
def test_a_member_changes_the_password_on_the_sites_page(client, resident, language, heading, done):
    resident.set_password("old-Secret-2026")
    resident.save()
    client.force_login(resident)
    url = reverse("accounts:password-change")
    assert heading in page(client, language, url)

    wrong = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert wrong.status_code == 400

    response = client.post(
        url,
        {
            "old_password": "old-Secret-2026",
            "new_password1": "Brand-new-Secret-77",
            "new_password2": "Brand-new-Secret-77",
        },
    )
    assert response.status_code == 302
    assert done in page(client, language, response["Location"])
    resident.refresh_from_db()
    assert resident.check_password("Brand-new-Secret-77")


def test_the_password_change_needs_a_login(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")],
)
def test_an_unknown_address_gets_the_sites_404(client, language, words):
    assert words in page(client, language, "/no-such-page/", status=404)


def test_the_api_changes_the_password_as_the_page_does_and_ends_the_token(resident):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    resident.set_password("old-Secret-2026")
    resident.save()
    token = Token.objects.create(user=resident)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ko")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api:accounts-password")

    wrong = client.post(url, {"old_password": "nope", "new_password": "Brand-new-Secret-77"})
    weak = client.post(url, {"old_password": "old-Secret-2026", "new_password": "1234"})
    changed = client.post(
        url, {"old_password": "old-Secret-2026", "new_password": "Brand-new-Secret-77"}
    )

    assert wrong.status_code == 400 and "old_password" in wrong.json()["detail"]
    assert weak.status_code == 400 and "new_password" in weak.json()["detail"]
    assert changed.status_code == 204
    resident.refresh_from_db()
    assert resident.check_password("Brand-new-Secret-77")
    assert not Token.objects.filter(user=resident).exists()
    assert client.get(reverse("api:accounts-me")).status_code in (401, 403)


def test_the_password_api_counts_against_the_pages_limit_of_five_a_minute(client, resident):
    from rest_framework.test import APIClient

    client.force_login(resident)
    for _ in range(3):  # wrong old passwords on the page
        client.post(reverse("accounts:password-change"), {"old_password": "nope"})
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(resident)
    url = reverse("api:accounts-password")
    tries = [
        api.post(url, {"old_password": "nope", "new_password": "Brand-new-Secret-77"})
        for _ in range(3)
    ]

    assert [t.status_code for t in tries] == [400, 400, 429]
    assert tries[-1].json()["detail"] == "Too many attempts. Please wait a minute and try again."


def test_resending_the_confirmation_is_three_an_hour_by_page_and_api_together(client, resident):
    from django.core import mail
    from rest_framework.test import APIClient

    resident.email_confirmation_pending = True
    resident.save()
    client.force_login(resident)
    assert client.post(reverse("accounts:resend-confirmation")).status_code == 302
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(resident)
    url = reverse("api:accounts-me-confirmation")
    answers = [api.post(url).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert len(mail.outbox) == 3  # the page's and the API's first two: no fourth email
