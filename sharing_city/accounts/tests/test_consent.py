"""Consent to the terms of use and the privacy notice: recorded per version at signup, asked
again after a new version, in the export; the API reads and records it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing_city.accounts.consent import documents_to_renew, record_consent
from sharing_city.accounts.models import Consent, User
from sharing_city.accounts.rights import close_account, export_for

from .test_signup import signup_data

pytestmark = pytest.mark.django_db

V1 = {"terms": "2026-12-07", "privacy": "2026-12-07"}
V2_PRIVACY = {"terms": "2026-12-07", "privacy": "2027-03-01"}


@pytest.fixture(autouse=True)
def _versions(settings):
    settings.POLICY_VERSIONS = V1


def test_consent_signup_links_both_documents(client):
    html = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert reverse("accounts:terms") in html and reverse("accounts:privacy") in html


def test_consent_rows_recorded_at_signup_with_versions_and_time(client, mapo):
    before = timezone.now()
    client.post(reverse("accounts:signup"), signup_data(mapo))

    member = User.objects.get(email="jiwoo@example.org")
    rows = {(c.document, c.version) for c in Consent.objects.filter(member=member)}
    assert rows == {("terms", "2026-12-07"), ("privacy", "2026-12-07")}
    assert all(c.at >= before for c in Consent.objects.all())


def test_consent_refused_signup_records_nothing(client, mapo):
    client.post(reverse("accounts:signup"), signup_data(mapo, accept_privacy=""))

    assert not Consent.objects.exists()


@pytest.mark.parametrize(("language", "heading"), [("ko", "이용약관"), ("en", "Terms of use")])
def test_consent_documents_are_public_in_both_languages(client, language, heading):
    client.cookies["django_language"] = language
    for name in ("accounts:terms", "accounts:privacy"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "2026-12-07" in response.content.decode()
    assert heading in client.get(reverse("accounts:terms")).content.decode()


def test_consent_privacy_notice_states_the_retention_settings(client, settings):
    settings.RETENTION_PROOF_DAYS = 45
    client.cookies["django_language"] = "en"

    html = client.get(reverse("accounts:privacy")).content.decode()

    assert "45 days after the decision" in html


def test_consent_new_version_asks_again_on_the_next_page(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    assert client.get(reverse("accounts:profile")).status_code == 200

    settings.POLICY_VERSIONS = V2_PRIVACY
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:consent"))
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert reverse("accounts:privacy") in page.content.decode()
    assert (
        reverse("accounts:terms")
        not in page.content.decode().split("<main")[-1].split("</main>")[0]
    )


def test_consent_agreeing_records_the_new_version_and_goes_on(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    settings.POLICY_VERSIONS = V2_PRIVACY

    response = client.post(
        reverse("accounts:consent"), {"agree": "yes", "next": reverse("accounts:my-data")}
    )

    assert response.status_code == 302 and response.url == reverse("accounts:my-data")
    assert Consent.objects.filter(
        member=resident, document="privacy", version="2027-03-01"
    ).exists()
    assert Consent.objects.filter(member=resident).count() == 3  # the old rows stay
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_consent_refused_without_the_box_changes_nothing(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    settings.POLICY_VERSIONS = V2_PRIVACY

    response = client.post(reverse("accounts:consent"), {"next": "https://evil.example/"})

    assert response.status_code == 400
    assert Consent.objects.filter(member=resident).count() == 2
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_consent_next_never_leaves_the_site(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    settings.POLICY_VERSIONS = V2_PRIVACY

    response = client.post(
        reverse("accounts:consent"), {"agree": "yes", "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response.url == reverse("accounts:landing")


def test_consent_prompt_leaves_logout_documents_and_api_open(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    settings.POLICY_VERSIONS = V2_PRIVACY

    assert client.get(reverse("accounts:privacy")).status_code == 200
    assert client.get(reverse("api:accounts-me")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_consent_not_asked_of_accounts_that_never_agreed_online(client, staff, settings):
    client.force_login(staff)
    settings.POLICY_VERSIONS = V2_PRIVACY

    assert documents_to_renew(staff) == []
    assert client.get(reverse("accounts:staff-home")).status_code == 200


def test_consent_recording_twice_adds_nothing(resident):
    record_consent(member=resident)
    record_consent(member=resident)

    assert Consent.objects.filter(member=resident).count() == 2


def test_consent_rows_are_in_the_export_and_stay_after_closing(resident):
    record_consent(member=resident)

    rows = export_for(resident)["sections"]["accounts.consents"]
    close_account(user=resident)

    assert {(r["document"], r["version"]) for r in rows} == {
        ("terms", "2026-12-07"),
        ("privacy", "2026-12-07"),
    }
    assert Consent.objects.filter(member=resident).count() == 2


def test_consent_api_reads_and_records(client, resident, settings):
    record_consent(member=resident)
    client.force_login(resident)
    settings.POLICY_VERSIONS = V2_PRIVACY
    url = reverse("api:accounts-me-consent")

    state = client.get(url).json()
    refused = client.post(url, {"agree": False}, content_type="application/json")
    agreed = client.post(url, {"agree": True}, content_type="application/json")

    assert state == {"versions": V2_PRIVACY, "to_renew": ["privacy"]}
    assert refused.status_code == 400 and refused.json()["code"] == "consent_required"
    assert agreed.status_code == 200 and agreed.json()["to_renew"] == []
    assert Consent.objects.filter(member=resident, version="2027-03-01").count() == 1


def test_consent_api_refuses_anonymous(client):
    assert client.get(reverse("api:accounts-me-consent")).status_code == 403
