"""The closet's API beyond booking: fittings (list, cancel), and a rental through the API from
the desk's rent to the renter's extension, the desk's return and the renter's outcome."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closets import services
from closets.models import FittingVisit, Rental, RenterProfile

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(resident, make_slot):
    slot = make_slot(starts_at=local(timezone.localdate() + dt.timedelta(days=2), 10))
    return services.book_fitting(member=resident, slot=slot, by=resident)


@pytest.fixture
def outfit(make_garment, resident):
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        bust=96,
        waist=82,
        interview_date=timezone.localdate() + dt.timedelta(days=2),
    )
    return [make_garment("jacket", bust=96), make_garment("trousers", waist=82)]


def test_my_fittings_lists_only_the_callers_and_cancel_is_only_for_the_owner(
    client, resident, other_resident, visit
):
    client.force_login(other_resident)
    assert client.get(reverse("api:closets-my-fittings")).json()["count"] == 0
    cancel = reverse("api:closets-cancel-fitting", args=[visit.pk])
    assert client.post(cancel).status_code == 404  # another's fitting is not found
    client.force_login(resident)

    listed = client.get(reverse("api:closets-my-fittings")).json()
    cancelled = client.post(cancel)

    assert [v["id"] for v in listed["results"]] == [visit.pk]
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == FittingVisit.objects.get(pk=visit.pk).state != "booked"


def test_a_rental_through_the_api_rent_extend_return_outcome(
    client, resident, other_resident, closet_volunteer, visit, outfit, paid_programme
):
    rent = reverse("api:closets-rent", args=[visit.pk])
    body = {"codes": [g.code.lower() for g in outfit], "programme": paid_programme.pk}
    client.force_login(resident)
    assert client.post(rent, body, content_type="application/json").status_code == 403
    client.force_login(closet_volunteer)
    unknown = client.post(
        rent, {**body, "codes": ["J-9999"]}, content_type="application/json"
    ).json()
    rented = client.post(rent, body, content_type="application/json")
    assert unknown["code"] == "unknown_garment"
    assert rented.status_code == 201
    rental = Rental.objects.get(member=resident)
    assert rented.json()["garments"] == sorted(g.code for g in outfit)
    due = rental.due_date

    extend = reverse("api:closets-extend", args=[rental.pk])
    client.force_login(other_resident)
    assert client.post(extend, {"days": 2}, content_type="application/json").status_code == 403
    client.force_login(resident)
    too_many = client.post(extend, {"days": 31}, content_type="application/json")
    extended = client.post(extend, {"days": 2}, content_type="application/json")
    assert too_many.status_code == 400 and too_many.json()["code"] == "invalid"
    assert extended.json()["due_date"] == (due + dt.timedelta(days=2)).isoformat()

    back = reverse("api:closets-return", args=[rental.pk])
    garments = {"garments": [g.pk for g in outfit], "care": "laundry"}
    assert client.post(back, garments, content_type="application/json").status_code == 403
    client.force_login(closet_volunteer)
    returned = client.post(back, garments, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["returned_at"] is not None

    client.force_login(resident)
    outcome = reverse("api:closets-outcome", args=[rental.pk])
    bad = client.post(outcome, {"outcome": "maybe"}, content_type="application/json")
    answered = client.post(outcome, {"outcome": "got_job"}, content_type="application/json")
    assert bad.status_code == 400
    assert answered.json()["outcome"] == "got_job"
    assert Rental.objects.get(pk=rental.pk).outcome == "got_job"
    mine = client.get(reverse("api:closets-my-rentals")).json()
    assert [r["id"] for r in mine["results"]] == [rental.pk]


def test_returning_a_garment_that_is_not_out_on_the_rental_is_a_400(
    client, resident, closet_volunteer, visit, outfit, make_garment, paid_programme
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit,
        programme=paid_programme,
        place=visit.slot.place,
        visit=visit,
        by=closet_volunteer,
    )
    stranger = make_garment("tie")
    client.force_login(closet_volunteer)

    response = client.post(
        reverse("api:closets-return", args=[rental.pk]),
        {"garments": [stranger.pk], "care": "laundry"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert Rental.objects.get(pk=rental.pk).returned_at is None


def test_measurements_are_saved_with_the_pages_bounds(client, resident):
    client.force_login(resident)
    url = reverse("api:closets-measurements")
    assert client.get(url).status_code == 404  # none saved yet
    body = {
        "style": "men",
        "height": 175,
        "weight": 70,
        "purpose": "interview",
        "interview_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "bust": 96,
    }

    far = client.put(url, {**body, "interview_date": "9999-12-31"}, content_type="application/json")
    saved = client.put(url, body, content_type="application/json")

    assert far.status_code == 400 and "interview_date" in far.json()["detail"]
    assert saved.status_code == 200, saved.json()
    assert RenterProfile.objects.get(member=resident).bust == 96
    assert client.get(url).json()["height"] == 175
