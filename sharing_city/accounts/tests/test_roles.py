import pytest
from django.test import override_settings
from django.urls import reverse

from sharing_city.accounts.demo import DEMO_PASSWORD
from sharing_city.accounts.models import User

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["accounts:staff-home", "accounts:coordinator-home", "accounts:volunteer-home"]


@pytest.fixture
def demo_logins(settings, districts):
    """The five demo logins alone (what these tests sign in with), without the programmes' data."""
    from sharing_city.accounts.demo import load

    settings.DEBUG = True
    load()


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_resident_cannot_open_staff_pages(client, resident, page):
    client.force_login(resident)

    response = client.get(reverse(page))

    assert response.status_code == 403


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_anonymous_is_sent_to_log_in(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_demo_logins_are_refused_when_debug_is_off(client, demo_logins, settings):
    settings.DEBUG = False

    ok = client.login(username="resident", password=DEMO_PASSWORD)

    assert not ok


@override_settings(ALLOW_DEMO_LOGINS=True)
def test_demo_logins_work_with_debug_off_when_forced(client, demo_logins, settings):
    settings.DEBUG = False

    assert client.login(username="resident", password=DEMO_PASSWORD)


def test_district_roles_need_a_district_in_the_database(mapo):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nodistrict", email="n@example.org", role="staff")
