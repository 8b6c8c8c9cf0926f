"""The demo: applicants in two districts, ready for the demo coordinator to run matching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from homeshare import demo as homeshare_demo
from homeshare import services
from homeshare.models import CommuteTime, HostApplication, StudentApplication
from sharing_city.accounts import demo as accounts_demo
from sharing_city.accounts.cities import load_city
from sharing_city.accounts.models import User

pytestmark = pytest.mark.django_db


def load() -> None:
    load_city("seoul")
    accounts_demo.load()
    homeshare_demo.load()


def test_demo_is_registered_in_the_demo_loaders(settings):
    assert "homeshare.demo.load" in settings.DEMO_LOADERS


def test_demo_loads_twice_and_the_coordinator_can_match_at_once():
    load()
    counts = (HostApplication.objects.count(), StudentApplication.objects.count())
    load()

    assert (HostApplication.objects.count(), StudentApplication.objects.count()) == counts
    assert set(HostApplication.objects.values_list("district__code", flat=True)) == {
        "11440",
        "11410",
    }
    assert CommuteTime.objects.count() == 25 * 12
    assert User.objects.filter(username__startswith="hs-", is_demo=True).count() == 13
    coordinator = User.objects.get(username="coordinator")
    today = timezone.localdate()
    run = services.run_matching(
        by=coordinator,
        district=coordinator.district,
        term_start=today,
        term_end=today + timedelta(days=200),
    )
    assert run.hosts_count >= 3 and run.students_count >= 3
    assert run.candidates.filter(suggested=True).count() >= 2
