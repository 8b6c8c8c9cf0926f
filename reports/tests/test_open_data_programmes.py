"""Open data carries the closet and home-share figures, small counts suppressed as on the
public dashboard."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from reports import selectors
from reports.forms import local_today

pytestmark = pytest.mark.django_db


def test_open_data_has_home_share_and_closet_figures_with_small_counts_suppressed(client, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    cache.clear()

    rows = client.get(reverse("api:reports-open-data")).json()
    mapo = next(r for r in rows if r["district_code"] == "11440")
    scope = next(
        s
        for s in selectors.public_scopes(local_today())
        if s.district_id is not None and s.district_id == _mapo_id()
    )
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


def _mapo_id():
    from sharing_city.accounts.models import District

    return District.objects.get(code="11440").pk
