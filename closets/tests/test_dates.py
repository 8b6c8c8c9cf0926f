"""A rental anchored to the interview: the pickup window, the due date, the desk's warning."""

import datetime as dt

import pytest
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone, translation

from closets import dates, exceptions, services
from closets.models import FittingVisit, Rental, RenterProfile
from lending.models import Closure, Event, Loan, OpeningHours

from .conftest import NOW, TODAY, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def outfit(make_garment):
    return [make_garment("jacket", bust=96, arm=60), make_garment("trousers", waist=82)]


def interview_in(member, days):
    return RenterProfile.objects.create(
        member=member,
        style="men",
        height=175,
        weight=70,
        bust=96,
        waist=82,
        interview_date=TODAY + dt.timedelta(days=days),
    )


def rent(member, outfit, programme, closet, by, now=NOW):
    return services.rent_outfit(
        member=member, garments=outfit, programme=programme, place=closet, by=by, now=now
    )


def test_pickup_window_is_three_to_one_days_before_the_interview():
    interview = dt.date(2026, 12, 10)
    assert dates.pickup_window(interview) == (dt.date(2026, 12, 7), dt.date(2026, 12, 9))
    assert dates.pickup_too_early(dt.date(2026, 12, 6), interview)
    assert not dates.pickup_too_early(dt.date(2026, 12, 7), interview)
    assert not dates.pickup_too_early(dt.date(2026, 12, 6), None)


def test_pickup_window_follows_the_setting(settings):
    settings.CLOSET_PICKUP_DAYS_BEFORE = (5, 2)
    assert dates.pickup_window(dt.date(2026, 12, 10)) == (
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 8),
    )


@pytest.mark.parametrize("window", [(15, 1), (3, -1), (1, 3), ("x", 1)])
def test_a_pickup_window_outside_the_bounds_fails_the_start_up_check(settings, window):
    settings.CLOSET_PICKUP_DAYS_BEFORE = window
    assert "closets.E001" in {error.id for error in run_checks()}


def test_the_default_pickup_window_passes_the_start_up_check():
    assert "closets.E001" not in {error.id for error in run_checks()}


def test_rental_is_due_three_nights_after_a_pickup_the_day_before_the_interview(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    interview_in(resident, 1)
    rental = rent(resident, outfit, paid_programme, closet, closet_volunteer)
    assert rental.due_date == TODAY + dt.timedelta(days=3)
    assert set(Loan.objects.values_list("due_date", flat=True)) == {rental.due_date}


def test_rental_is_never_due_before_the_day_after_the_interview(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    """The issue's case: interview on the 10th, pickup on the 3rd, was due on the 7th."""
    interview_in(resident, 7)
    rental = rent(resident, outfit, paid_programme, closet, closet_volunteer)

    assert rental.due_date == TODAY + dt.timedelta(days=8)
    loans = Loan.objects.filter(member=resident)
    assert {loan.due_date for loan in loans} == {rental.due_date}
    # the lengthened loans are in lending's audit trail, and the rental's event names the date
    assert Event.objects.filter(action="renew").count() == 2
    assert rental.pk == Rental.objects.get().pk


def test_rental_due_on_a_closure_day_moves_to_the_next_open_day(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    interview_in(resident, 4)  # due the day after: TODAY + 5
    Closure.objects.create(place=closet, date=TODAY + dt.timedelta(days=5), reason="New year")
    rental = rent(resident, outfit, paid_programme, closet, closet_volunteer)
    assert rental.due_date == TODAY + dt.timedelta(days=6)


def test_rental_due_on_a_closed_weekday_moves_to_the_next_open_day(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    # TODAY is a Wednesday; the interview on Saturday makes Sunday the day after: closed.
    OpeningHours.objects.filter(place=closet, weekday=6).delete()
    interview_in(resident, 3)
    rental = rent(resident, outfit, paid_programme, closet, closet_volunteer)
    assert rental.due_date == TODAY + dt.timedelta(days=5)  # Monday


def test_an_interview_too_far_ahead_is_refused_and_nothing_is_lent(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    interview_in(resident, 45)
    with pytest.raises(exceptions.InterviewTooFar) as refused:
        rent(resident, outfit, paid_programme, closet, closet_volunteer)
    assert "30" in str(refused.value.message)
    assert not Rental.objects.exists() and not Loan.objects.exists()


def test_the_desk_warns_about_a_pickup_too_early(
    client, resident, closet, closet_volunteer, make_slot
):
    today = timezone.localdate()
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=today + dt.timedelta(days=8),
    )
    slot = make_slot(starts_at=local(today + dt.timedelta(days=1), 10))
    visit = services.book_fitting(member=resident, slot=slot, by=resident)
    client.force_login(closet_volunteer)

    page = client.get(reverse("closets:desk-visit", args=[visit.pk]))

    assert page.status_code == 200
    assert "이른 수령" in page.content.decode()
    window = dates.pickup_window(today + dt.timedelta(days=8))
    assert page.context["pickup_window"] == window


def test_the_desk_does_not_warn_inside_the_window(
    client, resident, closet, closet_volunteer, make_slot
):
    today = timezone.localdate()
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=today + dt.timedelta(days=2),
    )
    slot = make_slot(starts_at=local(today + dt.timedelta(days=1), 10))
    visit = services.book_fitting(member=resident, slot=slot, by=resident)
    client.force_login(closet_volunteer)

    page = client.get(reverse("closets:desk-visit", args=[visit.pk]))

    assert page.status_code == 200 and "이른 수령" not in page.content.decode()
    assert FittingVisit.objects.get().pk == visit.pk


def test_the_fitting_page_opens_on_the_first_day_of_the_pickup_window(
    client, resident, closet, make_slot
):
    today = timezone.localdate()
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=today + dt.timedelta(days=6),
    )
    for days in (1, 3, 4, 5):
        make_slot(starts_at=local(today + dt.timedelta(days=days), 10))
    client.force_login(resident)

    page = client.get(reverse("closets:fitting", args=[closet.slug]))

    assert page.status_code == 200
    assert page.context["day"] == today + dt.timedelta(days=3)
    assert page.context["window_days"] == [today + dt.timedelta(days=d) for d in (3, 4, 5)]
    assert "수령 추천일" in page.content.decode()
