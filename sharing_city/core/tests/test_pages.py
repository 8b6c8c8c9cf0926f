import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_introduces_the_four_programmes_in_korean_by_default(client):
    response = client.get(reverse("core:home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in body
    for title in ["공구도서관", "책 공유", "열린옷장", "한지붕세대공감"]:
        assert title in body
    assert 'href="#main"' in body  # skip link


def test_home_in_english_after_switching_language(client):
    response = client.post(
        reverse("core:set-language"), {"language": "en", "next": "/"}, follow=True
    )

    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Tool centres" in body and "Open Closet" in body


def test_switching_language_is_remembered_on_the_account(client, resident):
    client.force_login(resident)

    client.post(reverse("core:set-language"), {"language": "en", "next": "/"})

    resident.refresh_from_db()
    assert resident.preferred_language == "en"


def test_member_sees_pages_in_their_preferred_language_without_a_cookie(client, resident):
    resident.preferred_language = "en"
    resident.save()
    client.force_login(resident)

    response = client.get(reverse("accounts:profile"))

    assert "Member card" in response.content.decode()


def test_unknown_programme_is_404_with_a_translated_page(client):
    response = client.get(reverse("core:programme", args=["spaceships"]))

    assert response.status_code == 404


@pytest.mark.parametrize("slug", ["tools", "books", "closet", "homeshare"])
def test_programme_pages_render(client, slug):
    assert client.get(reverse("core:programme", args=[slug])).status_code == 200


def test_pages_carry_security_headers(client):
    response = client.get(reverse("core:home"))

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_nul_characters_are_refused_with_a_400_before_reaching_the_database(client):
    api = client.post(
        "/api/v1/accounts/me/", '{"code": "TC-\\u0000"}', content_type="application/json"
    )
    page = client.get(reverse("core:home"), {"q": "drill\x00"}, HTTP_ACCEPT_LANGUAGE="en")

    assert api.status_code == 400
    assert api.json()["code"] == "invalid"
    assert page.status_code == 400
    assert "not allowed" in page.content.decode()
