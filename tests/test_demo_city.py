"""The demo city `make run` loads, as a newcomer meets it: every login lands on its page, every
programme shows its states, loading it again changes nothing.

Loading the demo is ~5,000 queries, the slow part of each of these tests, so the city is
loaded once for the module (inside one transaction, rolled back at the end) and each test
runs in a savepoint of its own on top of it. The module stays on one xdist worker.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from homeshare import services as homeshare
from homeshare.models import Agreement, HostApplication, ScreeningCheck
from reports import selectors
from reports.forms import local_today
from sharing_city.accounts.demo import DEMO_PASSWORD
from sharing_city.accounts.models import District, User
from tool_centres.models import RepairTicket

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-city")]


@pytest.fixture(scope="module", autouse=True)
def demo_city(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        outer = transaction.atomic()
        # The demo's durable services nest in it as they do in a TestCase's transaction.
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            call_command("load_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "admin", "auth"}
    }


LANDINGS = [
    ("resident", "accounts:profile"),
    ("volunteer", "accounts:volunteer-home"),
    ("coordinator", "accounts:coordinator-home"),
    ("staff", "accounts:staff-home"),
    ("admin", "accounts:staff-home"),
]


def test_loading_the_demo_again_changes_nothing():
    first = row_counts()
    members = dict(User.objects.values_list("username", "password"))

    call_command("load_demo", verbosity=0)

    assert row_counts() == first
    assert dict(User.objects.values_list("username", "password")) == members
    assert set(members) >= {"resident", "volunteer", "coordinator", "staff", "admin"}
    assert District.objects.filter(city="seoul").count() == 25


@pytest.mark.parametrize(("username", "landing"), LANDINGS)
def test_each_demo_login_lands_on_its_role_page(username, landing):
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(landing), username
    assert response.status_code == 200, username
    assert response.context["user"].username == username


def test_demo_volunteer_runs_the_mapo_desk_with_one_repair_ticket(client):
    assert RepairTicket.objects.filter(place__slug="mapo-tools").count() == 1

    client.force_login(User.objects.get(username="volunteer"))
    home = client.get(reverse("accounts:volunteer-home")).content.decode()
    desk_url = reverse("tool_centres:desk", args=["mapo-tools"])
    assert desk_url in home
    assert client.get(desk_url).status_code == 200
    assert client.get(reverse("tool_centres:today", args=["mapo-tools"])).status_code == 200


def test_the_demo_shows_each_agreement_state_with_check_ins_done_and_due(client):
    today = timezone.localdate()
    agreements = Agreement.objects.select_related("match")
    active = list(agreements.filter(status="active"))
    in_trial = [a for a in active if (today - a.start_on).days < a.trial_days]
    after_trial = [a for a in active if (today - a.start_on).days >= a.trial_days]
    ended = list(agreements.filter(status="ended").exclude(end_reason=""))
    assert len(in_trial) == len(after_trial) == len(ended) == 1
    for agreement in (*in_trial, *after_trial):
        assert agreement.check_ins.filter(done_on__isnull=False).exists()
        assert agreement.check_ins.filter(done_on__isnull=True, due_on__gte=today).exists()
    assert ended[0].match.status == "ended"
    assert not ended[0].check_ins.filter(due_on__gt=ended[0].ended_on).exists()

    # Every approved applicant passes the approval rule; one waiting host is part-way.
    for host in HostApplication.objects.filter(status="approved"):
        assert homeshare.missing_checks(host) == []
    waiting = HostApplication.objects.filter(status="submitted").first()
    if waiting is not None:
        assert ScreeningCheck.objects.filter(host_application=waiting).count() == 1
        assert homeshare.missing_checks(waiting)

    client.force_login(User.objects.get(username="coordinator"))
    for agreement in (*in_trial, *after_trial, *ended):
        page = client.get(reverse("homeshare:agreement", args=[agreement.pk]))
        assert page.status_code == 200
    assert (
        ended[0].end_reason
        in client.get(reverse("homeshare:agreement", args=[ended[0].pk])).content.decode()
    )


def test_open_data_has_home_share_and_closet_figures_with_small_counts_suppressed(client):
    rows = client.get(reverse("api:reports-open-data")).json()
    mapo = next(r for r in rows if r["district_code"] == "11440")
    mapo_id = District.objects.get(code="11440").pk
    scope = next(s for s in selectors.public_scopes(local_today()) if s.district_id == mapo_id)
    staff = {p.key: p for p in selectors.report(scope, fresh=True).programmes}
    active = staff["homeshare"].value("agreements_active")

    assert 0 < active < 5  # the demo's trial-month and after-trial agreements (and the ended one)
    assert mapo["homeshare_agreements_active"] == "<5"
    assert mapo["homeshare_agreements_ended"] == "<5"
    for column in ("closet_rentals", "closet_outcome_got_job", "homeshare_matches_proposed"):
        assert column in mapo
        value = mapo[column]
        assert value == "<5" or (value.isdigit() and (value == "0" or int(value) >= 5))
    dashboard = client.get(reverse("reports:public")).content.decode()
    assert "<5" in dashboard or "&lt;5" in dashboard
