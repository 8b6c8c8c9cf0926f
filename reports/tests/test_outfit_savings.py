"""Issue 16: a closet rental (an outfit of several garments, each a lending loan) saves once in
money saved and CO₂ avoided, on every path a report takes: the live count on SQLite and on
PostgreSQL, the rollups, and the public dashboard and open data that read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from closets.services import rent_outfit, return_garments
from lending import services
from lending.models import Category, Loan, Title
from lending.tests.factories import CategoryFactory, ItemFactory, TitleFactory
from reports import rollups
from reports.figures import Scope, lending_figures

pytestmark = pytest.mark.django_db

# Per loan: jacket 10 % of 200,000 = 20,000 and 10 kg; trousers 10 % of 80,000 = 8,000 and
# 3 kg (the clothing root's factor); shirt a fixed 5,000 and 2 kg; the drill 10 % of 90,000.
# Counted per garment, the outfit would save 33,000 and 15 kg.
OUTFIT_MONEY, OUTFIT_CO2 = Decimal(20000), Decimal(10)  # the jacket's: the largest of both
TOOL_MONEY, TOOL_CO2 = Decimal(9000), Decimal(2)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def rented(
    now, resident, city_admin, closet, closet_volunteer, make_garment, paid_programme, tool_centre
):
    """One three-garment outfit rented yesterday and one drill lent the day before."""
    jacket, trousers, shirt = (
        make_garment("jacket"),
        make_garment("trousers"),
        make_garment("shirt"),
    )
    for garment, value in ((jacket, 200000), (trousers, 80000), (shirt, 40000)):
        Title.objects.filter(pk=garment.item.title_id).update(replacement_value=value)

    def factor(slug, **values):
        category = Category.objects.get(slug=slug)
        services.set_impact_factor(category=category, by=city_admin, **values)

    factor("interview-clothing", basis="share", money_share="0.1", co2_kg="3")
    factor("interview-clothing-jacket", basis="share", money_share="0.1", co2_kg="10")
    factor("interview-clothing-shirt", basis="fixed", money_fixed=5000, co2_kg="2")
    tools = CategoryFactory(slug="o-tools", name_ko="공구", name_en="Tools")
    factor("o-tools", basis="share", money_share="0.1", co2_kg="2")
    drill = ItemFactory(
        title=TitleFactory(category=tools, replacement_value=Decimal(90000)), place=tool_centre
    )
    Loan.objects.create(
        item=drill,
        member=resident,
        place=tool_centre,
        checked_out_at=now - dt.timedelta(days=2),
        due_date=timezone.localdate(now) + dt.timedelta(days=5),
    )
    rental = rent_outfit(
        member=resident,
        garments=[jacket, trousers, shirt],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=now - dt.timedelta(days=1),
    )
    assert rental.lines.count() == 3
    return rental


def month_of(now, **extra):
    today = timezone.localdate(now)
    return Scope(today - dt.timedelta(days=30), today, **extra)


def saved(figures):
    return figures.money_saved, figures.co2_kg


def test_an_outfit_rental_saves_once_beside_a_tool_loan(rented, mapo, now):
    figures = lending_figures(month_of(now, district_id=mapo.pk), now=now, live=True)

    assert figures.loans == 4  # every garment is still a loan
    assert saved(figures) == (OUTFIT_MONEY + TOOL_MONEY, OUTFIT_CO2 + TOOL_CO2)


@pytest.mark.postgres
def test_on_postgresql_an_outfit_rental_saves_once_beside_a_tool_loan(rented, mapo, now):
    assert connection.vendor == "postgresql"  # the grouping-sets query of reports.figures

    figures = lending_figures(month_of(now, district_id=mapo.pk), now=now, live=True)

    assert figures.loans == 4
    assert saved(figures) == (OUTFIT_MONEY + TOOL_MONEY, OUTFIT_CO2 + TOOL_CO2)


def test_with_a_category_filter_the_outfit_saves_its_largest_garment_in_it(rented, mapo, now):
    shirts = Category.objects.get(slug="interview-clothing-shirt")
    root = Category.objects.get(slug="interview-clothing")

    only_shirts = lending_figures(month_of(now, category_id=shirts.pk), now=now, live=True)
    all_clothes = lending_figures(month_of(now, category_id=root.pk), now=now, live=True)

    assert saved(only_shirts) == (Decimal(5000), Decimal(2))
    assert saved(all_clothes) == (OUTFIT_MONEY, OUTFIT_CO2)


def test_the_rollups_give_the_same_saving_before_and_after_the_outfit_comes_back(
    rented, mapo, closet_volunteer, now
):
    scope = month_of(now, district_id=mapo.pk)
    state = rollups.rebuild(now=now)

    open_outfit = lending_figures(scope, now=now)

    assert open_outfit.computed_at == state.refreshed_at  # read from the rollups
    assert saved(open_outfit) == (OUTFIT_MONEY + TOOL_MONEY, OUTFIT_CO2 + TOOL_CO2)
    assert saved(open_outfit) == saved(lending_figures(scope, now=now, live=True))

    # Part of the outfit back: its loans move from OpenLoan to LendingDay at the refresh.
    return_garments(
        rental=rented, garments=[line.garment for line in rented.lines.all()[:2]],
        by=closet_volunteer, now=now,
    )  # fmt: skip
    later = now + dt.timedelta(minutes=5)
    state = rollups.refresh(now=later)
    part_back = lending_figures(scope, now=later)

    assert part_back.computed_at == state.refreshed_at
    assert saved(part_back) == (OUTFIT_MONEY + TOOL_MONEY, OUTFIT_CO2 + TOOL_CO2)
    assert saved(part_back) == saved(lending_figures(scope, now=later, live=True))


def test_the_public_dashboard_and_open_data_show_the_outfit_saved_once(client, rented, now):
    rollups.rebuild(now=now)

    rows = client.get(reverse("api:reports-open-data")).json()
    with translation.override("ko"):
        dashboard = client.get(reverse("reports:public"), HTTP_ACCEPT_LANGUAGE="ko")

    mapo = next(r for r in rows if r["district_code"] == "11440")
    city = next(r for r in rows if not r["district_code"])
    expected = OUTFIT_MONEY + TOOL_MONEY
    assert Decimal(mapo["money_saved_krw"]) == Decimal(city["money_saved_krw"]) == expected
    assert Decimal(mapo["co2_avoided_kg"]) == OUTFIT_CO2 + TOOL_CO2
    assert dashboard.status_code == 200
    assert dashboard.context["figures"].money_saved == expected
    page = dashboard.content.decode()
    assert "29,000" in page
    assert "열린옷장 대여는 의류마다가 아니라 한 번만 계산합니다" in page


def test_the_report_costs_the_same_queries_with_more_outfit_rentals(
    rented, mapo, other_resident, closet, closet_volunteer, make_garment, paid_programme, now
):
    scope = month_of(now, district_id=mapo.pk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            lending_figures(scope, now=now, live=True)
        return len(queries)

    one = count()
    for _ in range(3):
        rent_outfit(
            member=other_resident,
            garments=[make_garment("jacket"), make_garment("tie")],
            programme=paid_programme,
            place=closet,
            by=closet_volunteer,
            now=now - dt.timedelta(hours=1),
        )

    assert count() == one
    assert lending_figures(scope, now=now, live=True).loans == 4 + 3 * 2
