"""A report reads one moment: loans made after the rollups' refresh count in no figure, so no
row shows more borrowers than loans, and the page, its CSV and "Figures as of" agree."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lending.models import Loan
from reports import rollups, selectors
from reports.figures import Scope

from .conftest import TODAY, seoul

pytestmark = pytest.mark.django_db


def _rows(figures):
    return [r for kind in ("places", "categories", "months") for r in getattr(figures, kind)]


def _new_loan_by_a_new_borrower(city, make_member, mapo):
    item = city["items"][4]
    Loan.objects.filter(item=item, returned_at__isnull=True).update(
        returned_at=seoul(TODAY, 9), return_condition="ok", outcome="returned"
    )
    return Loan.objects.create(
        item=item,
        member=make_member("newcomer", district=mapo),
        place=item.place,
        checked_out_at=seoul(TODAY, 9, 30),
        due_date=TODAY + dt.timedelta(days=7),
    )


def test_borrowers_are_counted_over_the_loans_the_rollups_hold(city, make_member, mapo):
    scope = Scope(TODAY - dt.timedelta(days=90), TODAY)
    state = rollups.rebuild(now=timezone.now() - dt.timedelta(minutes=3))
    before = selectors.read_report(scope).lending
    _new_loan_by_a_new_borrower(city, make_member, mapo)

    after = selectors.read_report(scope).lending

    assert after.computed_at == state.refreshed_at
    assert (after.loans, after.borrowers) == (before.loans, before.borrowers)
    for row in _rows(after):
        assert row.borrowers <= row.loans, row.label
    # Live (no fresh rollups) the new loan counts in both.
    live = selectors.lending_figures(scope, live=True)
    assert (live.loans, live.borrowers) == (before.loans + 1, before.borrowers + 1)


def test_the_snapshot_names_one_moment_and_the_exports_share_it(
    client, city, staff, make_member, mapo
):
    cache.clear()
    state = rollups.rebuild(now=timezone.now() - dt.timedelta(minutes=3))
    _new_loan_by_a_new_borrower(city, make_member, mapo)
    client.force_login(staff)
    params = {"start": (TODAY - dt.timedelta(days=90)).isoformat(), "end": TODAY.isoformat()}

    page = client.get(reverse("reports:staff", kwargs={"code": mapo.code}), params)
    csv = client.get(
        reverse("reports:export", kwargs={"code": mapo.code, "table": "places", "fmt": "csv"}),
        params,
    )

    figures = page.context["figures"]
    assert figures.computed_at == state.refreshed_at
    assert (
        timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M") in page.content.decode()
    )
    for row in _rows(figures):
        assert row.borrowers <= row.loans
    assert csv.status_code == 200
    with selectors.snapshot() as moment:
        assert abs(moment - timezone.now()) < dt.timedelta(seconds=5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_report_reads_one_repeatable_read_snapshot():
    from django.db import connection

    with selectors.snapshot() as moment, connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        level = cursor.fetchone()[0]
        cursor.execute("SELECT now()")
        later = cursor.fetchone()[0]
    assert level == "repeatable read"
    assert later == moment  # the transaction's moment: every query inside sees it
