"""Joining over the API: the page's form and workflow, the page's answer that does not tell
whether an address is taken, and the page's limit per address (one counter for both)."""

import pytest
from django.core import mail
from django.urls import reverse

from sharing_city.accounts.consent import documents_to_renew
from sharing_city.accounts.models import User
from sharing_city.accounts.tests.test_signup import signup_data

pytestmark = pytest.mark.django_db

JSON = "application/json"


def signup_body(district, **overrides):
    body = {
        "full_name": "한지우",
        "email": "Jiwoo@Example.org",
        "phone": "010-2345-6789",
        "district": district.pk,
        "preferred_language": "en",
        "password": "a-long-secret-42",
        "accept_terms": True,
        "accept_privacy": True,
    }
    body.update(overrides)
    return body


def test_signup_makes_an_unconfirmed_member_and_sends_the_link_as_the_page_does(client, mapo):
    response = client.post(reverse("api:accounts-signup"), signup_body(mapo), content_type=JSON)

    assert response.status_code == 202
    assert response.json() == {"confirmation_days": 7}
    member = User.objects.get(email="jiwoo@example.org")
    assert member.username == "jiwoo@example.org"
    assert member.phone == "+821023456789" and member.district == mapo
    assert member.email_confirmation_pending
    assert member.check_password("a-long-secret-42")
    assert documents_to_renew(member) == []  # both documents agreed, current versions
    (sent,) = mail.outbox
    assert sent.to == ["jiwoo@example.org"] and "Confirm your email address" in sent.subject


def test_signup_with_a_taken_address_answers_the_same_and_writes_to_its_owner(
    client, mapo, resident
):
    response = client.post(
        reverse("api:accounts-signup"),
        signup_body(mapo, email="RESIDENT@example.org"),
        content_type=JSON,
    )

    assert response.status_code == 202
    assert response.json() == {"confirmation_days": 7}
    assert User.objects.filter(email__iexact="resident@example.org").count() == 1
    (sent,) = mail.outbox
    assert sent.to == ["resident@example.org"]
    assert "Confirm your email address" not in sent.subject


def test_signup_without_the_terms_is_refused_with_the_forms_message(client, mapo):
    response = client.post(
        reverse("api:accounts-signup"),
        signup_body(mapo, accept_terms=False),
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["detail"]["accept_terms"] == [
        "You must accept the terms of use to join."
    ]
    assert not User.objects.filter(email="jiwoo@example.org").exists()
    assert mail.outbox == []


def test_signup_refuses_a_weak_password_under_the_bodys_name(client, mapo):
    response = client.post(
        reverse("api:accounts-signup"),
        signup_body(mapo, password="12345678"),
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    errors = response.json()["detail"]
    assert "password" in errors and "password2" not in errors and "password1" not in errors
    assert any("too common" in message for message in errors["password"])
    assert not User.objects.filter(email="jiwoo@example.org").exists()


def test_a_body_of_the_wrong_types_is_a_400_not_a_500(client):
    response = client.post(
        reverse("api:accounts-signup"),
        {"email": ["a"], "district": "x", "accept_terms": {"y": 1}},
        content_type=JSON,
    )

    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_signup_is_refused_to_a_member_who_is_signed_in(client, mapo, resident):
    client.force_login(resident)

    response = client.post(reverse("api:accounts-signup"), signup_body(mapo), content_type=JSON)

    assert response.status_code == 403
    assert not User.objects.filter(email="jiwoo@example.org").exists()
    assert mail.outbox == []


def test_signups_from_one_address_share_the_pages_cap_of_ten_an_hour(client, mapo):
    for i in range(5):
        client.post(reverse("accounts:signup"), signup_data(mapo, email=f"page{i}@example.org"))
    answers = [
        client.post(
            reverse("api:accounts-signup"),
            signup_body(mapo, email=f"app{i}@example.org"),
            content_type=JSON,
        ).status_code
        for i in range(6)
    ]
    page_after = client.post(
        reverse("accounts:signup"), signup_data(mapo, email="late@example.org")
    )

    assert answers == [202] * 5 + [429]
    assert page_after.status_code == 429
    assert not User.objects.filter(email__in=["app5@example.org", "late@example.org"]).exists()
    assert len(mail.outbox) == 10


def test_a_form_post_needs_the_csrf_token_as_on_the_page_and_json_does_not(mapo):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    form = signup_body(mapo, email="form@example.org")

    forged = browser.post(reverse("api:accounts-signup"), form)
    app = browser.post(
        reverse("api:accounts-signup"),
        signup_body(mapo, email="app@example.org"),
        content_type=JSON,
    )

    assert forged.status_code == 403
    assert app.status_code == 202
    assert not User.objects.filter(email="form@example.org").exists()
    assert User.objects.filter(email="app@example.org").exists()
