"""The lending API: the same operations as the pages, scoped to the caller, every refusal a
4xx {"code", "detail"} in the caller's language, and nothing changed by a refusal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lending import services
from lending.models import Booking, Event, Loan, Occupancy

from .factories import ItemFactory, TitleFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def snapshot():
    return (
        list(Loan.objects.values_list("pk", "returned_at", "due_date", "renewals")),
        list(Booking.objects.values_list("pk", "status", "item_id")),
        list(Occupancy.objects.values_list("item_id", "start", "end")),
        Event.objects.count(),
    )


def api(user=None, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_authenticate(user)
    return client


# --- catalogue -----------------------------------------------------------------------------


def test_titles_search_korean_part_of_a_word_with_counts(drill, second_drill):
    response = api().get(reverse("api:lending-titles-list"), {"q": "드릴"})

    assert response.status_code == 200
    [title] = response.json()["results"]
    assert (title["name_en"], title["copies"], title["available"]) == ("Cordless drill 18 V", 2, 2)


def test_titles_filter_refuses_reversed_dates(drill):
    response = api().get(
        reverse("api:lending-titles-list"), {"start": "2099-01-05", "end": "2099-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_pagination_is_bounded(tool_centre, drills):
    for i in range(3):
        ItemFactory(title=TitleFactory(category=drills, name_ko=f"드릴 {i}"), place=tool_centre)
    url = reverse("api:lending-titles-list")

    huge = api().get(url, {"limit": 10**12})
    beyond = api().get(url, {"offset": 10**6})
    negative = api().get(url, {"limit": -5})

    assert huge.status_code == 200 and len(huge.json()["results"]) == 3
    assert beyond.status_code == 200 and beyond.json()["results"] == []
    assert negative.status_code == 200 and len(negative.json()["results"]) == 3


@pytest.mark.parametrize("rows", [1, 20])
def test_titles_list_query_count_does_not_grow(
    tool_centre, drills, rows, django_assert_num_queries
):
    for i in range(rows):
        ItemFactory(title=TitleFactory(category=drills), place=tool_centre)
    with django_assert_num_queries(2):
        assert api().get(reverse("api:lending-titles-list")).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_items_list_query_count_does_not_grow(tool_centre, drills, rows, django_assert_num_queries):
    for i in range(rows):
        ItemFactory(title=TitleFactory(category=drills), place=tool_centre)
    with django_assert_num_queries(2):
        response = api().get(reverse("api:lending-items-list"))
    assert response.json()["results"][0]["borrow_status"] == "available"


def test_items_show_derived_borrow_status(drill, second_drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer)

    rows = api().get(reverse("api:lending-items-list"), {"title": drill.title_id}).json()

    assert {r["code"]: r["borrow_status"] for r in rows["results"]} == {
        "TC-0001": "on_loan",
        "TC-0002": "available",
    }


def test_availability_by_day_for_any_copy_and_one_copy(drill, second_drill, resident):
    start = today() + dt.timedelta(days=2)
    services.book(member=resident, by=resident, item=drill, start=start, end=start)
    url = reverse("api:lending-titles-availability", args=[drill.title_id])

    any_copy = api().get(url, {"days": 5}).json()
    one_copy = api().get(url, {"days": 5, "copy": "TC-0001"}).json()

    assert [d["free"] for d in any_copy] == [2, 2, 1, 1, 2]  # booked day + turnaround day
    assert [d["free"] for d in one_copy] == [1, 1, 0, 0, 1]
    assert api().get(url, {"copy": "NOPE-1"}).status_code == 404


# --- a resident's bookings and loans -------------------------------------------------------


def test_book_and_cancel_through_the_api(drill, resident):
    start = today() + dt.timedelta(days=1)
    response = api(resident).post(
        reverse("api:lending-book"),
        {"title": drill.title_id, "start": start, "end": start},
        format="json",
    )

    assert response.status_code == 201
    booking = Booking.objects.get(pk=response.json()["id"])
    assert (booking.member, booking.item) == (resident, drill)
    cancelled = api(resident).post(reverse("api:lending-cancel", args=[booking.pk]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_booking_refusal_is_a_409_with_a_code_and_a_translated_message(
    drill, resident, other_resident
):
    start = today() + dt.timedelta(days=1)
    services.book(member=other_resident, by=other_resident, item=drill, start=start, end=start)
    before = snapshot()
    body = {"title": drill.title_id, "item": "TC-0001", "start": start, "end": start}

    english = api(resident).post(reverse("api:lending-book"), body, format="json")
    korean = api(resident, "ko").post(reverse("api:lending-book"), body, format="json")

    assert english.status_code == 409
    assert english.json()["code"] == "item_unavailable"
    assert "This item is booked from" in english.json()["detail"]
    assert "예약되어 있습니다" in korean.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "2099-01-05", "end": "2099-01-01"}, "end"),
        ({"start": "garbage", "end": "2099-01-01"}, "start"),
        ({"start": "2001-01-01", "end": "2001-01-02"}, None),
    ],
)
def test_booking_bad_input_is_a_400_and_changes_nothing(drill, resident, body, field):
    before = snapshot()
    response = api(resident).post(
        reverse("api:lending-book"), {"title": drill.title_id, **body}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "dates_invalid")
    if field:
        assert field in response.json()["detail"]
    assert snapshot() == before


def test_anonymous_caller_cannot_book_or_list_loans(drill):
    assert api().post(reverse("api:lending-book"), {}, format="json").status_code in (401, 403)
    assert api().get(reverse("api:lending-my-loans-list")).status_code in (401, 403)


def test_resident_sees_only_their_own_loans_and_bookings(
    drill, second_drill, resident, other_resident, volunteer
):
    theirs = services.check_out(item=drill, member=other_resident, by=volunteer)
    mine = services.check_out(item=second_drill, member=resident, by=volunteer)
    start = today() + dt.timedelta(days=20)
    their_booking = services.book(
        member=other_resident, by=other_resident, title=drill.title, start=start, end=start
    )

    listed = api(resident).get(reverse("api:lending-my-loans-list")).json()["results"]

    assert [row["id"] for row in listed] == [mine.pk]
    assert listed[0]["renewal_refusal"] is None
    loan_detail = api(resident).get(reverse("api:lending-my-loans-detail", args=[theirs.pk]))
    booking_detail = api(resident).get(
        reverse("api:lending-my-bookings-detail", args=[their_booking.pk])
    )
    assert loan_detail.status_code == 404 and booking_detail.status_code == 404
    assert api(resident).post(reverse("api:lending-renew", args=[theirs.pk])).status_code == 404
    assert (
        api(resident).post(reverse("api:lending-cancel", args=[their_booking.pk])).status_code
        == 404
    )
    theirs.refresh_from_db()
    their_booking.refresh_from_db()
    assert theirs.renewals == 0 and their_booking.status == "requested"


def test_renew_then_refused_at_the_limit_with_the_reason_code(drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer)
    url = reverse("api:lending-renew", args=[loan.pk])

    first = api(resident).post(url)
    before = snapshot()
    second = api(resident).post(url)

    assert first.status_code == 200 and first.json()["renewals"] == 1
    assert first.json()["renewal_refusal"]["code"] == "renewal_limit_reached"
    assert second.status_code == 409
    assert second.json() == {
        "code": "renewal_limit_reached",
        "detail": "This loan has been renewed as many times as allowed.",
    }
    assert snapshot() == before


def test_join_queue_twice_is_harmless(drill, resident, other_resident, volunteer):
    services.check_out(item=drill, member=other_resident, by=volunteer)
    body = {"title": drill.title_id, "place": drill.place.slug}

    first = api(resident).post(reverse("api:lending-join-queue"), body, format="json")
    second = api(resident).post(reverse("api:lending-join-queue"), body, format="json")

    assert first.status_code == 201 and first.json()["id"] == second.json()["id"]
    assert Booking.objects.filter(member=resident).count() == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_my_loans_query_count_does_not_grow(
    resident, tool_centre, drills, rows, django_assert_num_queries
):
    for i in range(rows):
        item = ItemFactory(title=TitleFactory(category=drills), place=tool_centre)
        Loan.objects.create(
            item=item,
            member=resident,
            place=tool_centre,
            checked_out_at=timezone.now(),
            due_date=today() + dt.timedelta(days=i % 5 - 1),
        )
    client = api(resident)
    with django_assert_num_queries(7):
        assert client.get(reverse("api:lending-my-loans-list")).status_code == 200


# --- the desk: check-out and check-in ------------------------------------------------------


def test_volunteer_checks_out_and_in_at_their_place(drill, resident, volunteer):
    out = api(volunteer).post(
        reverse("api:lending-check-out"),
        {"item": "TC-0001", "member": resident.member_number},
        format="json",
    )
    assert out.status_code == 201
    loan = Loan.objects.get(pk=out.json()["id"])
    assert loan.is_open and loan.checked_out_by == volunteer

    back = api(volunteer).post(
        reverse("api:lending-check-in"), {"item": "TC-0001", "condition": "ok"}, format="json"
    )
    assert back.status_code == 200
    loan.refresh_from_db()
    assert not loan.is_open and loan.returned_by == volunteer


def test_volunteer_elsewhere_gets_403_and_nothing_changes(
    drill, resident, volunteer, volunteer_elsewhere
):
    before = snapshot()
    out = api(volunteer_elsewhere).post(
        reverse("api:lending-check-out"),
        {"item": "TC-0001", "member": resident.member_number},
        format="json",
    )
    assert out.status_code == 403 and out.json()["code"] == "not_your_place"
    assert snapshot() == before

    services.check_out(item=drill, member=resident, by=volunteer)
    before = snapshot()
    back = api(volunteer_elsewhere).post(
        reverse("api:lending-check-in"), {"item": "TC-0001"}, format="json"
    )
    assert back.status_code == 403
    assert snapshot() == before


def test_resident_cannot_use_the_desk(drill, resident, other_resident):
    response = api(resident).post(
        reverse("api:lending-check-out"),
        {"item": "TC-0001", "member": other_resident.member_number},
        format="json",
    )
    assert response.status_code == 403
    assert not Loan.objects.exists()


def test_desk_refuses_unknown_codes_and_members_with_400(drill, volunteer):
    response = api(volunteer).post(
        reverse("api:lending-check-out"), {"item": "NOPE", "member": "X"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["detail"]) == {"item", "member"}


def test_cancelling_a_collected_booking_is_a_409_and_changes_nothing(drill, resident, volunteer):
    booking = services.book(member=resident, by=resident, item=drill, start=today(), end=today())
    services.check_out(item=drill, member=resident, by=volunteer)
    before = snapshot()

    response = api(resident).post(reverse("api:lending-cancel", args=[booking.pk]))

    assert response.status_code == 409
    assert response.json() == {
        "code": "booking_closed",
        "detail": "This booking has already ended.",
    }
    assert snapshot() == before


def test_joining_a_queue_with_an_overdue_loan_is_a_409_with_the_reason(
    drill, second_drill, resident, volunteer
):
    services.check_out(
        item=drill, member=resident, by=volunteer, now=timezone.now() - dt.timedelta(days=30)
    )
    before = snapshot()

    response = api(resident).post(
        reverse("api:lending-join-queue"),
        {"title": drill.title_id, "place": drill.place.slug},
        format="json",
    )

    assert response.status_code == 409 and response.json()["code"] == "member_blocked"
    assert snapshot() == before
