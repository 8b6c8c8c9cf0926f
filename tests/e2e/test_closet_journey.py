# ruff: noqa: F811 - closet fixtures are imported, then used as fixture arguments
"""A job seeker enters measurements, sees ranked suits and books a fitting with a coaching
session; staff rent the outfit, take it back into the laundry and put it back on the rail;
the donor's letter is shown to the renter and the renter's thank-you reaches the donor.
On a phone (360 px), axe-core on every page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from closets import services
from closets.models import (
    Coach,
    CoachingSession,
    FittingSlot,
    FittingVisit,
    Garment,
    Rental,
    Suit,
    ThankYouLetter,
)
from closets.tests.conftest import (  # noqa: F401 - closet fixtures
    closet,
    closet_volunteer,
    clothing,
    make_garment,
    paid_programme,
)
from sharing_city.notifications.models import Notice

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _check(page):
    assert_accessible(page)
    assert_fits_phone(page)


def test_measurements_suits_fitting_rental_laundry_and_letters(
    page, live_server, closet, closet_volunteer, make_garment, paid_programme, make_member
):
    url = live_server.url
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    donor = make_member("donor", full_name="Mi-kyung Song")
    donation = services.register_donation(
        donor=donor,
        place=closet,
        letter="Stand tall and speak slowly. Good luck!",
        by=closet_volunteer,
    )
    jacket = make_garment("jacket", "navy", bust=97, arm=61)
    trousers = make_garment("trousers", "navy", waist=83, thigh=58)
    Garment.objects.filter(pk=jacket.pk).update(donation=donation)
    Suit.objects.create(jacket=jacket, bottom=trousers)
    grey = make_garment("jacket", "grey", bust=96, arm=60)  # a better fit, not the colour
    Suit.objects.create(jacket=grey, bottom=make_garment("trousers", "grey", waist=82))
    make_garment("jacket", "navy", bust=110, arm=66)  # does not fit: never shown
    slot = FittingSlot.objects.create(
        place=closet,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10))),
        capacity=2,
    )
    coach = Coach.objects.create(
        user=make_member("coach", full_name="Jun-hyuk Bae"), skills=["mock_interview"]
    )
    CoachingSession.objects.create(
        coach=coach,
        place=closet,
        starts_at=slot.starts_at + dt.timedelta(minutes=30),
        skill="mock_interview",
        mode="in_person",
    )
    renter = make_member("jobseeker", full_name="Seo-yeon Kim")

    # The job seeker: measurements -> ranked suits.
    _log_in(page, live_server, renter)
    page.goto(url + reverse("closets:start"))
    _check(page)
    page.get_by_role("link", name="Enter your measurements").click()
    _check(page)
    page.get_by_label("style").select_option("men")
    page.get_by_label("height (cm)").fill("175")
    page.get_by_label("weight (kg)").fill("70")
    page.get_by_label("interview date").fill((tomorrow + dt.timedelta(days=2)).isoformat())
    page.get_by_label("preferred colour").select_option("navy")
    page.get_by_label("bust (cm)").fill("96")
    page.get_by_label("arm (cm)").fill("60")
    page.get_by_label("waist (cm)").fill("82")
    page.get_by_role("button", name="Show suits that fit").click()
    page.wait_for_url(url + reverse("closets:suggestions"))
    suits = page.locator("ol.suggestions").first.locator("li")
    assert suits.count() == 2
    assert jacket.code in suits.nth(0).inner_text()  # preferred colour first
    assert "waist +1 cm" in suits.nth(0).inner_text()
    assert grey.code in suits.nth(1).inner_text()
    _check(page)

    # Book a fitting with a coaching session.
    page.get_by_role("link", name="Book a fitting").click()
    _check(page)
    page.get_by_label("10:00").check()
    page.get_by_label("Career advice (optional)").select_option(index=1)
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(url + reverse("closets:start"))
    assert "Your fitting is booked" in page.content()
    assert "With advice: Mock interview (In person) with Jun-hyuk Bae" in page.content()
    _check(page)
    visit = FittingVisit.objects.get(member=renter)
    assert CoachingSession.objects.get().visit == visit

    # Staff: the day's timetable, the visit's states, rent the outfit.
    _log_in(page, live_server, closet_volunteer)
    page.goto(url + reverse("closets:desk", args=[closet.slug]) + f"?day={tomorrow}")
    _check(page)
    page.get_by_role("button", name="Arrived", exact=True).click()
    page.get_by_role("button", name="Fitting", exact=True).click()
    assert "Fitting" in page.locator(".visit .badge").inner_text()
    _check(page)
    page.get_by_role("link", name="Seo-yeon Kim").click()
    _check(page)
    page.get_by_label("Garment codes").fill(f"{jacket.code}\n{trousers.code}")
    page.locator("#id_rent-programme").select_option(str(paid_programme.pk))
    page.get_by_role("button", name="Rent", exact=True).click()
    page.wait_for_url("**/closet/desk/rentals/*/")
    rental = Rental.objects.get(member=renter)
    assert "Rented. Due back on" in page.content()
    _check(page)
    assert rental.lines.count() == 2
    visit.refresh_from_db()
    assert visit.state == "rented"

    # Return: both pieces into the laundry, then back on the rail.
    page.get_by_label(f"{jacket.code} Jacket").check()
    page.get_by_label(f"{trousers.code} Trousers").check()
    page.get_by_label("Then").select_option("laundry")
    page.get_by_role("button", name="Record the return").click()
    assert "Return recorded" in page.content()
    rental.refresh_from_db()
    assert rental.returned_at is not None
    page.get_by_role("link", name="Back to the desk").click()
    _check(page)
    assert set(Garment.objects.filter(care="laundry").values_list("pk", flat=True)) == {
        jacket.pk,
        trousers.pk,
    }
    page.get_by_role("button", name=f"{jacket.code} is available again").click()
    page.get_by_role("button", name=f"{trousers.code} is available again").click()
    jacket.refresh_from_db()
    jacket.item.refresh_from_db()
    assert (jacket.care, jacket.item.status) == ("available", "active")
    assert "Nothing in care." in page.content()
    _check(page)

    # The renter reads the donor's letter and thanks the donor.
    _log_in(page, live_server, renter)
    page.goto(url + reverse("closets:rental", args=[rental.pk]))
    assert "Stand tall and speak slowly." in page.content()
    _check(page)
    page.get_by_label("Write a thank-you letter").fill("I got the job. Thank you!")
    page.get_by_label("The closet may publish it without my name").check()
    page.get_by_role("button", name="Send to the donor").click()
    assert "Your letter has been sent to the donor" in page.content()
    _check(page)
    assert ThankYouLetter.objects.get().may_publish is True
    assert Notice.objects.filter(recipient=donor, kind="closet_thanks").exists()

    # The donor sees the letter and how many people their clothes dressed.
    _log_in(page, live_server, donor)
    page.goto(url + reverse("closets:donor"))
    assert "I got the job. Thank you!" in page.content()
    assert "dressed 1 job seeker" in page.content()
    _check(page)


def test_korean_renter_measurements_suggestions_and_booking_with_the_keyboard(
    page, live_server, closet, closet_volunteer, make_garment, make_member
):
    url = live_server.url
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    jacket = make_garment("jacket", "navy", style="women", bust=85, arm=57)
    skirt = make_garment("skirt", "navy", style="women", waist=68, hip=92)
    Suit.objects.create(jacket=jacket, bottom=skirt)
    slot = FittingSlot.objects.create(
        place=closet,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(14))),
        capacity=1,
    )
    renter = make_member("jiyoung", full_name="이지영")
    _log_in(page, live_server, renter)
    renter.preferred_language = "ko"
    renter.save(update_fields=["preferred_language"])

    page.goto(url + reverse("closets:profile"))
    expect(page.get_by_role("heading", name="내 치수")).to_be_visible()
    _check(page)
    # Bad input first: refused with the reasons in Korean, nothing saved.
    page.get_by_role("button", name="맞는 정장 보기").click()
    expect(page.get_by_role("alert")).to_be_visible()
    _check(page)
    page.get_by_label("스타일").select_option("women")
    page.get_by_label("키(cm)").fill("162")
    page.get_by_label("몸무게(kg)").fill("52")
    page.get_by_label("면접일").fill((tomorrow + dt.timedelta(days=1)).isoformat())
    page.get_by_label("가슴둘레(cm)").fill("84")
    page.get_by_label("허리둘레(cm)").fill("67")
    page.get_by_label("엉덩이둘레(cm)").fill("91")
    page.get_by_label("팔길이(cm)").fill("56")
    page.get_by_label("팔길이(cm)").press("Enter")  # submit from the keyboard
    page.wait_for_url(url + reverse("closets:suggestions"))
    assert "허리둘레 +1 cm" in page.locator("ol.suggestions").first.inner_text()
    _check(page)

    page.goto(url + reverse("closets:fitting", args=[closet.slug]))
    _check(page)
    page.get_by_label("14:00").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="예약", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url + reverse("closets:start"))
    assert "피팅이 예약되었습니다" in page.content()
    _check(page)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert FittingVisit.objects.get().member == renter
