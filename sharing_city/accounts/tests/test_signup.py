import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from sharing_city.accounts.models import User

pytestmark = pytest.mark.django_db


def signup_data(mapo, **overrides):
    data = {
        "full_name": "한지우",
        "email": "Jiwoo@Example.org",
        "phone": "010-2345-6789",
        "district": mapo.pk,
        "preferred_language": "en",
        "password1": "a-long-secret-42",
        "password2": "a-long-secret-42",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def _link_in(message) -> str:
    found = re.search(r"https?://\S+/accounts/confirm/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_sign_up_creates_member_and_the_emailed_link_confirms_and_shows_the_card(client, mapo):
    response = client.post(reverse("accounts:signup"), signup_data(mapo))

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup-sent")
    member = User.objects.get(email="jiwoo@example.org")
    assert member.full_name == "한지우"
    assert member.phone == "+821023456789"  # stored in E.164
    assert member.district == mapo
    assert member.role == "resident"
    assert member.terms_accepted_at is not None and member.privacy_accepted_at is not None
    assert member.email_confirmation_pending
    # Not signed in until the address is confirmed.
    assert client.get(reverse("accounts:profile")).status_code == 302
    (sent,) = mail.outbox
    assert sent.to == ["jiwoo@example.org"] and "Confirm your email address" in sent.subject

    confirmed = client.get(urlsplit(_link_in(sent)).path)

    assert confirmed.status_code == 302 and confirmed.url == reverse("accounts:profile")
    member.refresh_from_db()
    assert not member.email_confirmation_pending
    profile = client.get(reverse("accounts:profile"))
    assert member.member_number in profile.content.decode()
    assert b"<svg" in profile.content


def test_a_tampered_or_stale_link_confirms_nothing(client, mapo):
    client.post(reverse("accounts:signup"), signup_data(mapo))
    path = urlsplit(_link_in(mail.outbox[0])).path
    member = User.objects.get(email="jiwoo@example.org")

    tampered = client.get(path[:-3] + "xx/")
    member.email = "other@example.org"  # the address changed since the link was sent
    member.save(update_fields=["email"])
    stale = client.get(path)

    assert tampered.status_code == 400 and stale.status_code == 400
    member.refresh_from_db()
    assert member.email_confirmation_pending


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"accept_terms": ""}, "You must accept the terms of use to join."),
        ({"accept_privacy": ""}, "You must accept the privacy notice to join."),
        ({"phone": "12"}, "Enter a phone number such as 010-1234-5678."),
        ({"password2": "different-secret-42"}, "The two password fields"),
        ({"district": "999999"}, "Select a valid choice"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_sign_up_refuses_bad_input_with_a_message_and_creates_nothing(
    client, mapo, overrides, message
):
    response = client.post(
        reverse("accounts:signup"), signup_data(mapo, **overrides), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email__iexact="jiwoo@example.org").exists()


def test_sign_up_with_an_address_in_use_answers_the_same_and_tells_only_its_owner(
    client, mapo, resident
):
    known = client.post(
        reverse("accounts:signup"),
        signup_data(mapo, email="RESIDENT@example.org"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    new = client.post(reverse("accounts:signup"), signup_data(mapo, email="new@example.org"))

    # Nobody learns from the answer which address has an account.
    assert (known.status_code, known.url) == (new.status_code, new.url)
    assert User.objects.filter(email__iexact="resident@example.org").count() == 1
    to_owner, to_new = mail.outbox
    assert to_owner.to == ["resident@example.org"] and "/accounts/login/" in to_owner.body
    assert "/accounts/confirm/" not in to_owner.body
    assert to_new.to == ["new@example.org"] and "/accounts/confirm/" in to_new.body


def test_sign_up_messages_are_in_korean_by_default(client, mapo):
    response = client.post(reverse("accounts:signup"), signup_data(mapo, accept_terms=""))

    assert "가입하려면 이용약관에 동의해야 합니다." in response.content.decode()


def test_log_in_with_email_or_username(client, resident):
    from conftest import PASSWORD

    assert client.login(username="resident@example.org", password=PASSWORD)
    client.logout()
    assert client.login(username="resident", password=PASSWORD)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, resident, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": "resident@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["resident@example.org"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-77", "new_password2": "brand-new-secret-77"},
    )
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("brand-new-secret-77")


def test_login_is_rate_limited(client, resident):
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": "resident", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "resident", "password": "wrong"})

    assert response.status_code == 429


def test_wrong_password_is_a_400_with_a_translated_message(client, resident):
    response = client.post(
        reverse("accounts:login"),
        {"username": "resident", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "Please enter a correct" in response.content.decode()


def test_signups_from_one_address_are_capped_so_nobody_floods_an_inbox(client, mapo):
    answers = [
        client.post(
            reverse("accounts:signup"), signup_data(mapo, email=f"flood{i}@example.org")
        ).status_code
        for i in range(11)
    ]

    assert answers[:10] == [302] * 10
    assert answers[10] == 429
    assert len(mail.outbox) == 10
