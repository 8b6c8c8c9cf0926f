"""Token login for apps: obtain, use, revoke; limited like the login form, sharing its counts."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_obtain_use_and_revoke_a_token(client, make_member):
    member = make_member("app-user")
    member.set_password("a long passphrase 42")
    member.save()
    url = reverse("api:accounts-token")

    wrong = client.post(url, {"username": "app-user", "password": "nope"}, content_type=JSON)
    got = client.post(
        url, {"username": "app-user", "password": "a long passphrase 42"}, content_type=JSON
    )
    token = got.json()["token"]
    me = client.get(reverse("api:accounts-me"), HTTP_AUTHORIZATION=f"Token {token}")
    revoked = client.delete(url, HTTP_AUTHORIZATION=f"Token {token}")
    after = client.get(reverse("api:accounts-me"), HTTP_AUTHORIZATION=f"Token {token}")

    assert wrong.status_code in (401, 403) and wrong.json()["code"] == "authentication_failed"
    assert me.status_code == 200 and me.json()["username"] == "app-user"
    assert revoked.status_code == 204
    assert after.status_code in (401, 403)
    assert not Token.objects.filter(user=member).exists()


@override_settings(LOGIN_RATE_PER_USERNAME="3/m", LOGIN_RATE_PER_ADDRESS="100/m")
def test_token_login_is_limited_per_username_with_the_login_forms_counter(client, make_member):
    member = make_member("guessed")
    member.set_password("the right one 42")
    member.save()
    url = reverse("api:accounts-token")
    client.post(reverse("accounts:login"), {"username": "guessed", "password": "x"})
    for _ in range(2):
        client.post(url, {"username": "guessed", "password": "x"}, content_type=JSON)

    limited = client.post(
        url, {"username": "guessed", "password": "the right one 42"}, content_type=JSON
    )
    other = client.post(url, {"username": "someone-else", "password": "x"}, content_type=JSON)

    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
    assert other.status_code != 429
    assert not Token.objects.filter(user=member).exists()


def test_a_bad_body_is_a_400_not_a_500(client):
    url = reverse("api:accounts-token")

    response = client.post(url, {"username": ["a"], "password": {"x": 1}}, content_type=JSON)

    assert response.status_code == 400 and response.json()["code"] == "invalid"
