"""The closet's pages: what each person sees, refusals as 4xx with a reason, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closets import services
from closets.models import FittingSlot, FittingVisit, Garment, Rental, RenterProfile, Suit

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def future_slot(closet, today):
    return FittingSlot.objects.create(
        place=closet, starts_at=local(today + dt.timedelta(days=2), 10), capacity=2
    )


@pytest.fixture
def measured(resident, today):
    return RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        bust=96,
        arm=60,
        waist=82,
        interview_date=today + dt.timedelta(days=3),
        preferred_colour="navy",
    )


def test_start_page_is_public_and_invites_to_log_in(client, closet):
    response = client.get(reverse("closets:start"))

    assert response.status_code == 200
    assert "Open Closet" in response.content.decode() or "열린옷장" in response.content.decode()


def test_measurements_form_saves_the_profile_and_shows_suits(client, resident, closet, today):
    client.force_login(resident)
    data = {
        "style": "men",
        "height": "175",
        "weight": "70",
        "purpose": "interview",
        "interview_date": (today + dt.timedelta(days=3)).isoformat(),
        "bust": "96",
        "waist": "82",
        "preferred_colour": "navy",
    }

    response = client.post(reverse("closets:profile"), data)

    assert response.status_code == 302 and response.url == reverse("closets:suggestions")
    profile = RenterProfile.objects.get(member=resident)
    assert (profile.bust, profile.waist, profile.arm) == (96, 82, None)


def test_measurements_form_refuses_bad_input_with_a_message(client, resident, closet):
    client.force_login(resident)

    response = client.post(
        reverse("closets:profile"),
        {"style": "men", "height": "9000", "weight": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert 'id="id_height_error"' in response.content.decode()
    assert not RenterProfile.objects.exists()


def test_suggestions_show_the_suit_with_its_reasons(client, resident, measured, make_garment):
    jacket = make_garment("jacket", bust=97, arm=61)
    trousers = make_garment("trousers", waist=83)
    Suit.objects.create(jacket=jacket, bottom=trousers)
    client.force_login(resident)

    response = client.get(reverse("closets:suggestions"), HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert jacket.code in body and "허리둘레 +1 cm" in body


def test_booking_a_fitting_from_the_page(client, resident, closet, future_slot):
    client.force_login(resident)

    page = client.get(reverse("closets:fitting", args=[closet.slug]))
    response = client.post(reverse("closets:fitting", args=[closet.slug]), {"slot": future_slot.pk})

    assert page.status_code == 200 and f'value="{future_slot.pk}"' in page.content.decode()
    assert response.status_code == 302
    assert FittingVisit.objects.get().member == resident


def test_booking_a_full_slot_is_a_4xx_with_the_reason(
    client, resident, other_resident, closet, future_slot
):
    FittingSlot.objects.filter(pk=future_slot.pk).update(capacity=1)
    services.book_fitting(member=other_resident, slot=future_slot, by=other_resident)
    client.force_login(resident)

    response = client.post(
        reverse("closets:fitting", args=[closet.slug]),
        {"slot": future_slot.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400  # the full slot is no longer offered
    assert "더 이상 예약할 수 없습니다" in response.content.decode()
    assert FittingVisit.objects.count() == 1


def test_the_desk_is_for_closet_staff_only(client, resident, closet, closet_volunteer):
    client.force_login(resident)
    assert client.get(reverse("closets:desk", args=[closet.slug])).status_code == 403
    client.force_login(closet_volunteer)
    assert client.get(reverse("closets:desk", args=[closet.slug])).status_code == 200


def test_desk_timetable_costs_the_same_queries_for_1_and_20_visits(
    client, closet, closet_volunteer, make_member, today, django_assert_num_queries
):
    slot = FittingSlot.objects.create(place=closet, starts_at=local(today, 15), capacity=25)
    url = reverse("closets:desk", args=[closet.slug]) + f"?day={today.isoformat()}"
    client.force_login(closet_volunteer)

    def add(n):
        for i in range(n):
            member = make_member(f"renter{FittingVisit.objects.count()}")
            FittingVisit.objects.create(
                slot=slot, member=member, created_at=timezone.now(), changed_at=timezone.now()
            )

    add(1)
    client.get(url)
    with django_assert_num_queries(QUERIES := _count(client, url)):
        client.get(url)
    add(19)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert response.content.decode().count('class="visit"') == 20


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_staff_rent_and_return_through_the_desk_pages(
    client, resident, closet, closet_volunteer, future_slot, make_garment, paid_programme
):
    jacket = make_garment("jacket", bust=96, arm=60)
    visit = services.book_fitting(member=resident, slot=future_slot, by=resident)
    client.force_login(closet_volunteer)

    page = client.get(reverse("closets:desk-visit", args=[visit.pk]))
    rented = client.post(
        reverse("closets:desk-visit", args=[visit.pk]),
        {"rent-codes": jacket.code.lower(), "rent-programme": paid_programme.pk},
    )
    rental = Rental.objects.get()
    returned = client.post(
        reverse("closets:desk-rental", args=[rental.pk]),
        {"garments": [jacket.pk], "care": "laundry"},
    )

    assert page.status_code == 200
    assert rented.status_code == 302
    assert returned.status_code == 302
    rental.refresh_from_db()
    jacket.refresh_from_db()
    assert rental.returned_at is not None and jacket.care == "laundry"
    visit.refresh_from_db()
    assert visit.state == "rented"


def test_an_unknown_code_at_the_desk_is_a_400_and_lends_nothing(
    client, resident, closet, closet_volunteer, future_slot, paid_programme
):
    visit = services.book_fitting(member=resident, slot=future_slot, by=resident)
    client.force_login(closet_volunteer)

    response = client.post(
        reverse("closets:desk-visit", args=[visit.pk]),
        {"rent-codes": "J-9999", "rent-programme": paid_programme.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "J-9999" in response.content.decode()
    assert not Rental.objects.exists()


def test_someone_elses_rental_is_forbidden(
    client, other_resident, resident, closet, closet_volunteer, make_garment, paid_programme
):
    jacket = make_garment("jacket", bust=96, arm=60)
    rental = services.rent_outfit(
        member=resident,
        garments=[jacket],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
    )
    client.force_login(other_resident)

    assert client.get(reverse("closets:rental", args=[rental.pk])).status_code == 403
    response = client.post(
        reverse("closets:rental-action", args=[rental.pk, "extend"]), {"days": 2, "confirm": "on"}
    )
    assert response.status_code == 403
    rental.refresh_from_db()
    assert rental.fees == 0


def test_garment_care_page_puts_a_garment_back_on_the_rail(client, closet_volunteer, make_garment):
    jacket = make_garment("jacket", bust=96, arm=60)
    services.set_care(garment=jacket, care="laundry", by=closet_volunteer)
    client.force_login(closet_volunteer)

    response = client.post(reverse("closets:garment-care", args=[jacket.pk]), {"care": "available"})

    assert response.status_code == 302
    jacket.refresh_from_db()
    assert jacket.care == Garment.Care.AVAILABLE


def test_moving_a_fitting_from_the_page(client, resident, closet, future_slot, today):
    later = FittingSlot.objects.create(
        place=closet, starts_at=local(today + dt.timedelta(days=3), 11), capacity=2
    )
    visit = services.book_fitting(member=resident, slot=future_slot, by=resident)
    client.force_login(resident)

    page = client.get(reverse("closets:fitting", args=[closet.slug]) + f"?change={visit.pk}")
    response = client.post(
        reverse("closets:fitting", args=[closet.slug]), {"slot": later.pk, "change": visit.pk}
    )

    assert page.status_code == 200 and 'name="change"' in page.content.decode()
    assert response.status_code == 302
    visit.refresh_from_db()
    future_slot.refresh_from_db()
    assert visit.slot == later and future_slot.booked == 0


def test_someone_elses_visit_cannot_be_moved(client, resident, other_resident, closet, future_slot):
    visit = services.book_fitting(member=other_resident, slot=future_slot, by=other_resident)
    client.force_login(resident)

    response = client.get(reverse("closets:fitting", args=[closet.slug]) + f"?change={visit.pk}")

    assert response.status_code == 404


def test_staff_offer_fitting_times_from_the_desk(client, closet, closet_volunteer, resident):
    client.force_login(resident)
    assert client.post(reverse("closets:offer-slots", args=[closet.slug])).status_code == 403
    assert not FittingSlot.objects.exists()

    client.force_login(closet_volunteer)
    response = client.post(reverse("closets:offer-slots", args=[closet.slug]))

    assert response.status_code == 302
    assert FittingSlot.objects.filter(place=closet).count() == 22 * 16  # 22 days, 10:00-18:00


def test_start_page_costs_the_same_queries_for_1_and_20_rentals(
    client,
    resident,
    closet,
    closet_volunteer,
    make_garment,
    paid_programme,
    django_assert_num_queries,
):
    def rent(n):
        for _ in range(n):
            garment = make_garment("tie")
            rental = services.rent_outfit(
                member=resident,
                garments=[garment],
                programme=paid_programme,
                place=closet,
                by=closet_volunteer,
            )
            services.return_garments(rental=rental, garments=[garment], by=closet_volunteer)

    client.force_login(resident)
    url = reverse("closets:start")
    rent(1)
    client.get(url)
    queries = _count(client, url)
    rent(19)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count(reverse("closets:rental", args=[1])[:-2]) >= 20


def test_donor_page_costs_the_same_queries_for_1_and_20_letters(
    client,
    make_member,
    resident,
    closet,
    closet_volunteer,
    make_garment,
    paid_programme,
    django_assert_num_queries,
):
    donor = make_member("donor")
    donation = services.register_donation(
        donor=donor, place=closet, letter="힘내세요", by=closet_volunteer
    )

    def thanked(n):
        for _ in range(n):
            garment = make_garment("tie")
            Garment.objects.filter(pk=garment.pk).update(donation=donation)
            rental = services.rent_outfit(
                member=resident,
                garments=[garment],
                programme=paid_programme,
                place=closet,
                by=closet_volunteer,
            )
            services.return_garments(rental=rental, garments=[garment], by=closet_volunteer)
            services.write_thanks(
                rental=rental, donation=donation, text="고맙습니다", may_publish=False, by=resident
            )

    client.force_login(donor)
    url = reverse("closets:donor")
    thanked(1)
    client.get(url)
    queries = _count(client, url)
    thanked(19)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count('class="letter"') == 20


def test_staff_add_a_donated_garment_with_the_donors_letter(
    client, closet, closet_volunteer, make_member
):
    donor = make_member("donor")
    client.force_login(closet_volunteer)
    data = {
        "code": "j-7001",
        "kind": "jacket",
        "colour": "navy",
        "style": "men",
        "bust": "98",
        "arm": "61",
        "donor_email": donor.email,
        "letter": "면접 잘 보세요!",
    }

    response = client.post(reverse("closets:add-garment", args=[closet.slug]), data)

    assert response.status_code == 302
    garment = Garment.objects.select_related("item", "donation").get()
    assert (garment.code, garment.bust, garment.item.place) == ("J-7001", 98, closet)
    assert (garment.donation.donor, garment.donation.letter) == (donor, "면접 잘 보세요!")


@pytest.mark.parametrize(
    "code", ["P-7001", "J 7001", "TC-0001"], ids=["wrong letter", "bad shape", "a tool's code"]
)
def test_adding_a_garment_with_a_bad_code_is_a_400_and_adds_nothing(
    client, closet, closet_volunteer, code
):
    from lending.tests.factories import ItemFactory

    ItemFactory(code="TC-0001")
    client.force_login(closet_volunteer)
    data = {"code": code, "kind": "jacket", "colour": "navy", "style": "men", "bust": "98"}

    response = client.post(reverse("closets:add-garment", args=[closet.slug]), data)

    assert response.status_code == 400
    assert "(J)" in response.content.decode()
    assert not Garment.objects.exists()


def test_a_donation_needs_a_letter(client, closet, closet_volunteer, make_member):
    donor = make_member("donor")
    client.force_login(closet_volunteer)
    data = {
        "code": "J-7001",
        "kind": "jacket",
        "colour": "navy",
        "style": "men",
        "donor_email": donor.email,
    }

    response = client.post(reverse("closets:add-garment", args=[closet.slug]), data)

    assert response.status_code == 400
    assert not Garment.objects.exists()


def test_a_coach_offers_a_session_and_a_renter_can_book_it(
    client, closet, make_member, resident, today
):
    from closets.models import Coach, CoachingSession

    coach = make_member("coach", role="volunteer")
    Coach.objects.create(user=coach, skills=["cv"])
    when = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(16))
    data = {
        "offer": "1",
        "place": closet.pk,
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "skill": "cv",
        "mode": "video",
    }
    client.force_login(coach)

    response = client.post(reverse("closets:coach"), data)

    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert (session.coach.user, session.member, session.mode) == (coach, None, "video")
    client.force_login(resident)
    assert client.post(reverse("closets:book-session", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    assert session.member == resident


def test_only_coaches_offer_sessions_and_not_in_the_past(
    client, closet, make_member, resident, today
):
    from closets.models import Coach, CoachingSession

    past = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16))
    data = {
        "offer": "1",
        "place": closet.pk,
        "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
        "skill": "cv",
        "mode": "video",
    }
    client.force_login(resident)
    assert client.post(reverse("closets:coach"), data).status_code == 403
    coach = make_member("coach", role="volunteer")
    Coach.objects.create(user=coach, skills=["cv"])
    client.force_login(coach)
    assert client.post(reverse("closets:coach"), data).status_code == 409
    assert not CoachingSession.objects.exists()


def _photo_of(garment, colour=(20, 40, 120)):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from lending.models import TitlePhoto
    from lending.photos import make_renditions

    out = io.BytesIO()
    Image.new("RGB", (600, 600), colour).save(out, format="JPEG")
    photo = TitlePhoto(title=garment.item.title, alt_text="Navy jacket", position=0)
    photo.image.save("jacket.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    make_renditions(photo)


def test_suggestions_show_each_garments_photo_or_a_labelled_placeholder(
    client, resident, measured, make_garment, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    jacket = make_garment("jacket", bust=97, arm=61)
    trousers = make_garment("trousers", waist=83)
    Suit.objects.create(jacket=jacket, bottom=trousers)
    _photo_of(jacket)
    client.force_login(resident)

    response = client.get(reverse("closets:suggestions"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'alt="Navy jacket"' in body and 'loading="lazy"' in body  # the suit's jacket
    shirt = make_garment("shirt", neck=40, bust=98)  # a garment on its own, no photo
    body = client.get(reverse("closets:suggestions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'thumb-empty" role="img"' in body and shirt.code in body
    assert f"{shirt.item.title.name_ko} 사진이 아직 없습니다" in body  # the member reads Korean

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("closets:suggestions"), HTTP_ACCEPT_LANGUAGE="en")
        return len(captured)

    before = queries()
    for n in range(6):  # more suggestions, each with a photo: the same number of queries
        more = make_garment("trousers", waist=82 + n % 2)
        _photo_of(more)
    assert queries() == before


def test_suggestions_put_book_a_fitting_before_the_list(
    client, resident, measured, make_garment, closet
):
    for n in range(4):
        Suit.objects.create(
            jacket=make_garment("jacket", bust=97, arm=61),
            bottom=make_garment("trousers", waist=83),
        )
    client.force_login(resident)

    body = client.get(reverse("closets:suggestions")).content.decode()

    assert body.index(reverse("closets:fitting", args=[closet.slug])) < body.index(
        'class="cards suggestions"'
    )
