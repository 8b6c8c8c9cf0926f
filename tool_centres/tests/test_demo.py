"""The demo city gives the demo volunteer a desk with a repair ticket, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tool_centres.models import RepairTicket

pytestmark = pytest.mark.django_db


def test_demo_volunteer_runs_the_mapo_desk_with_one_repair_ticket(client, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)

    assert RepairTicket.objects.filter(place__slug="mapo-tools").count() == 1
    from sharing_city.accounts.models import User

    client.force_login(User.objects.get(username="volunteer"))
    home = client.get(reverse("accounts:volunteer-home")).content.decode()
    desk_url = reverse("tool_centres:desk", args=["mapo-tools"])
    assert desk_url in home
    assert client.get(desk_url).status_code == 200
    assert client.get(reverse("tool_centres:today", args=["mapo-tools"])).status_code == 200
