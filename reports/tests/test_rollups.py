"""The report read from the rollups equals the report computed from the loans, and the
independent day-by-day count, after a rebuild and after refreshes that follow returns
(backdated too), new and backdated check-outs, renewals and item moves."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lending import services
from lending.models import Item, Loan
from lending.tests.factories import at
from reports import rollups, tasks
from reports.figures import Scope, lending_figures
from reports.models import LendingDay, OpenLoan, RollupState

from .conftest import TODAY, seoul
from .test_figures import SCOPES, actual, expected

pytestmark = pytest.mark.django_db


def everything(figures):
    """Every figure of a report and every row of its breakdowns, for comparing two reports."""
    rows = {
        kind: [
            (r.key, r.label, r.loans, r.borrowers, r.loan_days, r.item_days, r.renewals, r.overdue)
            for r in getattr(figures, kind)
        ]
        for kind in ("places", "categories", "months")
    }
    keys = ["loans", "borrowers", "new_members", "items_available", "loan_days", "item_days"]
    keys += ["overdue", "renewals", "returned", "returned_days", "bookings_not_collected"]
    keys += ["repairs", "money_saved", "co2_kg", "top_titles", "never_borrowed"]
    keys += ["never_borrowed_sample"]
    return {key: getattr(figures, key) for key in keys} | rows


def table():
    return sorted(
        LendingDay.objects.values_list(
            "day", "place_id", "category_id", "loans", "renewals", "late", "returned_days",
            "value", "repairs", "loan_days",
        )
    )  # fmt: skip


def assert_rollups_match(scopes, now):
    for scope in scopes:
        from_rollups = lending_figures(scope, now=now)
        assert from_rollups.computed_at == RollupState.objects.get().refreshed_at
        assert everything(from_rollups) == everything(lending_figures(scope, now=now, live=True))
        assert actual(from_rollups) == expected(scope, TODAY)


@pytest.fixture
def impact(city, city_admin):
    services.set_impact_factor(
        category=city["tools"], by=city_admin, basis="share", money_share="0.1", co2_kg="2"
    )
    services.set_impact_factor(
        category=city["books"], by=city_admin, basis="fixed", money_fixed=5000
    )


@pytest.mark.parametrize("name", SCOPES)
def test_the_report_from_the_rollups_equals_the_report_from_the_loans(
    city, mapo, impact, now, name
):
    scope = SCOPES[name](city, mapo)

    rollups.rebuild(now=now)

    assert LendingDay.objects.exists() and OpenLoan.objects.exists()
    assert_rollups_match([scope], now)


def test_a_refresh_after_returns_check_outs_renewals_and_a_move_is_exact(
    city, mapo, impact, resident, now
):
    rollups.rebuild(now=now - dt.timedelta(hours=2))
    scopes = [SCOPES[name](city, mapo) for name in SCOPES]
    drill = city["items"][3]  # at the tool centre, open loan or not
    open_loans = list(Loan.objects.filter(returned_at__isnull=True).order_by("pk"))
    assert len(open_loans) >= 3
    # A backdated return of an open loan changes dates long before today.
    first = open_loans[0]
    Loan.objects.filter(pk=first.pk).update(
        returned_at=max(first.checked_out_at, seoul(TODAY - dt.timedelta(days=9), 23, 50)),
        return_condition="damaged",
        outcome="returned",
    )
    # A renewal, and an open loan returned today needing repair.
    Loan.objects.filter(pk=open_loans[1].pk).update(renewals=3, due_date=TODAY)
    Loan.objects.filter(pk=open_loans[2].pk).update(
        returned_at=seoul(TODAY, 9), return_condition="needs_repair", outcome="returned"
    )
    # A new loan checked out and returned between refreshes, and a backdated open one.
    Loan.objects.filter(item=drill, returned_at__isnull=True).update(returned_at=seoul(TODAY, 8))
    Loan.objects.create(
        item=drill,
        member=resident,
        place=drill.place,
        checked_out_at=seoul(TODAY - dt.timedelta(days=50), 0, 20),
        due_date=TODAY - dt.timedelta(days=43),
        returned_at=seoul(TODAY - dt.timedelta(days=50), 23, 40),
        return_condition="ok",
        outcome="returned",
    )
    Loan.objects.create(
        item=drill,
        member=resident,
        place=drill.place,
        checked_out_at=seoul(TODAY - dt.timedelta(days=2), 0, 5),
        due_date=TODAY + dt.timedelta(days=5),
    )
    # An item moved between places: its days go with it, its loans stay where they were made.
    Item.objects.filter(pk=city["items"][4].pk).update(place=city["places"][0])

    state = rollups.refresh(now=now)

    assert state.refreshed_at == now
    assert_rollups_match(scopes, now)
    incremental = table()
    rollups.rebuild(now=now)
    assert incremental == table()


def test_a_loan_committed_after_a_later_id_was_refreshed_is_counted_once(city, mapo, resident, now):
    item = city["items"][5]
    last = Loan.objects.order_by("-pk").first().pk

    def returned_loan(pk, day):
        return Loan.objects.create(
            pk=pk,
            item=item,
            member=resident,
            place=item.place,
            checked_out_at=seoul(day, 10),
            due_date=day + dt.timedelta(days=7),
            returned_at=seoul(day + dt.timedelta(days=3), 10),
            return_condition="ok",
            outcome="returned",
        )

    returned_loan(last + 2, TODAY - dt.timedelta(days=40))
    rollups.rebuild(now=now - dt.timedelta(minutes=5))  # saw loan last+2, not yet last+1
    returned_loan(last + 1, TODAY - dt.timedelta(days=60))  # its transaction commits now

    rollups.refresh(now=now)
    rollups.refresh(now=now)

    assert_rollups_match([SCOPES["city, 3 months"](city, mapo)], now)
    refreshed = table()
    rollups.rebuild(now=now)
    assert table() == refreshed


def test_figures_stay_as_of_the_refresh_until_the_next_one(
    tool_centre, drill, volunteer, resident, now
):
    services.check_out(item=drill, member=resident, by=volunteer, now=at(TODAY - dt.timedelta(5)))
    refreshed = now - dt.timedelta(minutes=4)
    rollups.rebuild(now=refreshed)
    scope = Scope(TODAY - dt.timedelta(days=30), TODAY)
    services.check_in(
        item=drill,
        by=volunteer,
        now=now,
        backdated_to=at(TODAY - dt.timedelta(days=3)),
        reason="Returned to the box",
    )

    before = lending_figures(scope, now=now)
    rollups.refresh(now=now)
    after = lending_figures(scope, now=now)

    # Still out at the refresh: out 5 days before today, so 6 days counting today.
    assert (before.computed_at, before.loans, before.loan_days, before.returned) == (
        refreshed,
        1,
        6,
        0,
    )
    assert (after.computed_at, after.loans, after.loan_days, after.returned) == (now, 1, 2, 1)


def test_refreshing_twice_changes_nothing_the_second_time(city, mapo, now):
    rollups.refresh(now=now)  # the first refresh builds them
    built = table()
    loans = list(OpenLoan.objects.order_by("pk").values_list())

    rollups.refresh(now=now)

    assert table() == built
    assert list(OpenLoan.objects.order_by("pk").values_list()) == loans


def test_stale_rollups_are_not_read(city, mapo, now):
    rollups.rebuild(now=now - dt.timedelta(hours=3))
    scope = SCOPES["city, 3 months"](city, mapo)

    with override_settings(REPORTS_ROLLUP_MAX_AGE=3600):
        figures = lending_figures(scope, now=now)

    assert figures.computed_at == now
    assert actual(figures) == expected(scope, TODAY)


def test_the_command_and_the_task_build_the_rollups(city, now):
    call_command("rebuild_report_rollups", verbosity=0)
    built = table()
    LendingDay.objects.all().delete()
    RollupState.objects.all().delete()

    tasks.refresh_report_rollups()

    assert built and table() == built
    assert RollupState.objects.get().last_loan_id == Loan.objects.order_by("-pk").first().pk


def test_the_staff_report_says_when_the_figures_were_refreshed(client, city, staff, mapo):
    state = rollups.rebuild(now=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(staff)
    url = reverse("reports:staff", kwargs={"code": mapo.code})
    params = {"start": (TODAY - dt.timedelta(days=90)).isoformat(), "end": TODAY.isoformat()}

    response = client.get(url, params)

    assert response.status_code == 200
    shown = timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M")
    assert response.context["figures"].computed_at == state.refreshed_at
    assert shown in response.content.decode()


def test_the_report_from_the_rollups_costs_the_same_queries_with_more_loans(
    client, city, staff, mapo, resident
):
    rollups.rebuild()
    client.force_login(staff)
    url = reverse("reports:staff", kwargs={"code": mapo.code})
    params = {"start": (TODAY - dt.timedelta(days=300)).isoformat(), "end": TODAY.isoformat()}
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    for n, item in enumerate(Item.objects.all()):
        Loan.objects.create(
            item=item,
            member=resident,
            place=item.place,
            checked_out_at=seoul(TODAY - dt.timedelta(days=100 + n), 10),
            due_date=TODAY - dt.timedelta(days=90 + n),
            returned_at=seoul(TODAY - dt.timedelta(days=95 + n), 10),
            return_condition="ok",
            outcome="returned",
        )
    rollups.refresh()
    cache.clear()

    with CaptureQueriesContext(connection) as many:
        assert client.get(url, params).status_code == 200

    assert len(many) == len(few)
