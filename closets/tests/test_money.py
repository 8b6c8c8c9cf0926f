"""Money up front: the terms before confirming, an extension's cost before it is made, the
fees so far and the total due on the rental page and the desk's receipt."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from closets import services
from closets.models import EligibilityProof, Rental, RenterProfile
from lending.models import Category, LendingRule

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def measured(resident, today):
    return RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=today + dt.timedelta(days=2),
    )


@pytest.fixture
def paid_rental(resident, measured, make_garment, paid_programme, closet, closet_volunteer):
    jacket = make_garment("jacket", bust=96, arm=60)
    return services.rent_outfit(
        member=resident,
        garments=[jacket],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
    )


def test_fee_terms_give_price_deposit_and_fees_per_day(paid_programme, clothing, today):
    LendingRule.objects.filter(category=clothing).update(deposit=10000)
    terms = services.fee_terms(paid_programme, today=today)
    assert terms["price"] == 30000 and terms["deposit"] == 10000
    assert terms["extension_per_day"] == 6000 and terms["late_per_day"] == 9000
    assert terms["quota_left"] is None


def test_fee_terms_count_the_free_quota_left_this_year(
    resident, free_programme, make_garment, closet, closet_volunteer, today
):
    EligibilityProof.objects.create(
        member=resident,
        programme=free_programme,
        birth_date=dt.date(2000, 1, 1),
        residence_city="seoul",
        checked_by=closet_volunteer,
        checked_at=timezone.now(),
    )
    assert services.fee_terms(free_programme, member=resident, today=today)["quota_left"] == 2
    services.rent_outfit(
        member=resident,
        garments=[make_garment("jacket", bust=96)],
        programme=free_programme,
        place=closet,
        by=closet_volunteer,
    )
    assert services.fee_terms(free_programme, member=resident, today=today)["quota_left"] == 1


def test_the_fitting_page_shows_the_money_before_booking(
    client, resident, measured, closet, make_slot, paid_programme, free_programme, today
):
    make_slot(starts_at=local(today + dt.timedelta(days=1), 10))
    client.force_login(resident)
    with translation.override("ko"):
        page = client.get(reverse("closets:fitting", args=[closet.slug]), HTTP_ACCEPT_LANGUAGE="ko")
    html = page.content.decode()
    assert page.status_code == 200
    for amount in ("30,000원", "6,000원", "9,000원"):
        assert amount in html
    assert "올해 무료 대여 2회 중 2회 남음" in html


def test_an_extension_shows_its_cost_and_changes_nothing_until_confirmed(
    client, resident, paid_rental
):
    client.force_login(resident)
    url = reverse("closets:rental-action", args=[paid_rental.pk, "extend"])
    due = paid_rental.due_date

    preview = client.post(url, {"days": 2})

    assert preview.status_code == 200
    assert "12,000원" in preview.content.decode()  # 2 days x 20 % of 30,000
    assert preview.context["preview"]["new_due"] == due + dt.timedelta(days=2)
    paid_rental.refresh_from_db()
    assert paid_rental.due_date == due and paid_rental.fees == 0

    confirmed = client.post(url, {"days": 2, "confirm": "on"})

    assert confirmed.status_code == 302
    paid_rental.refresh_from_db()
    assert paid_rental.due_date == due + dt.timedelta(days=2) and paid_rental.fees == 12000


def test_an_extension_preview_of_an_overdue_rental_is_refused(client, resident, paid_rental):
    Rental.objects.filter(pk=paid_rental.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(resident)
    response = client.post(
        reverse("closets:rental-action", args=[paid_rental.pk, "extend"]), {"days": 2}
    )
    assert response.status_code == 409
    assert "연체된 대여라 연장할 수 없습니다" in response.content.decode()
    paid_rental.refresh_from_db()
    assert paid_rental.fees == 0


def test_the_rental_page_shows_fees_so_far_and_what_is_due(client, resident, paid_rental):
    Rental.objects.filter(pk=paid_rental.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=2), fees=Decimal(6000)
    )
    client.force_login(resident)

    page = client.get(reverse("closets:rental", args=[paid_rental.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    amounts = page.context["amounts"]
    assert amounts["fees"] == 6000 + 2 * 9000 and amounts["total"] == 30000 + 24000
    assert "24,000원" in html and "54,000원" in html


def test_the_desk_receipt_lists_the_amounts(client, closet_volunteer, paid_rental):
    client.force_login(closet_volunteer)
    page = client.get(reverse("closets:desk-rental", args=[paid_rental.pk]))
    assert page.status_code == 200
    assert "30,000원" in page.content.decode()
    assert page.context["amounts"]["total"] == 30000


def test_root_category_missing_gives_no_deposit(paid_programme, today):
    Category.objects.all().delete()
    assert services.fee_terms(paid_programme, today=today)["deposit"] == 0
