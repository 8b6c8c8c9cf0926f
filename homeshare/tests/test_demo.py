"""The demo holds every home-share state a newcomer needs to see, and the pages show them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from homeshare import services
from homeshare.models import Agreement, HostApplication, ScreeningCheck
from sharing_city.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_agreement_state_with_check_ins_done_and_due(client, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # safe to run again
    today = timezone.localdate()

    agreements = Agreement.objects.select_related("match")
    in_trial = [
        a for a in agreements.filter(status="active") if (today - a.start_on).days < a.trial_days
    ]
    after_trial = [
        a for a in agreements.filter(status="active") if (today - a.start_on).days >= a.trial_days
    ]
    ended = list(agreements.filter(status="ended").exclude(end_reason=""))
    assert len(in_trial) == len(after_trial) == len(ended) == 1
    for agreement in (*in_trial, *after_trial):
        assert agreement.check_ins.filter(done_on__isnull=False).exists()
        assert agreement.check_ins.filter(done_on__isnull=True, due_on__gte=today).exists()
    assert ended[0].match.status == "ended"
    assert not ended[0].check_ins.filter(due_on__gt=ended[0].ended_on).exists()

    # Every approved applicant passes the approval rule; one waiting host is part-way.
    for host in HostApplication.objects.filter(status="approved"):
        assert services.missing_checks(host) == []
    waiting = HostApplication.objects.filter(status="submitted").first()
    if waiting is not None:
        assert ScreeningCheck.objects.filter(host_application=waiting).count() == 1
        assert services.missing_checks(waiting)

    client.force_login(User.objects.get(username="coordinator"))
    for agreement in (*in_trial, *after_trial, *ended):
        page = client.get(reverse("homeshare:agreement", args=[agreement.pk]))
        assert page.status_code == 200
    assert (
        ended[0].end_reason
        in client.get(reverse("homeshare:agreement", args=[ended[0].pk])).content.decode()
    )
