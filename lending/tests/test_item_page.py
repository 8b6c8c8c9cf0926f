"""The item page made for a phone: booking first, a month-grid calendar, closed days refused
with the reason, the nearest pickup place in the member's district, and the booked return
date kept at check-out (or shown to the volunteer to confirm)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lending import services
from lending.exceptions import DueDateChanged, PlaceClosed
from lending.models import Booking, Closure, Event, Loan, OpeningHours, Place
from lending.tests.conftest import TODAY

from .factories import ItemFactory, PlaceFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(11)))  # Wednesday 18 Nov 2026
SUNDAY = dt.date(2026, 11, 22)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def korean(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ko"
    return client


def closed_on_sundays(place: Place) -> None:
    OpeningHours.objects.filter(place=place, weekday=6).delete()


def next_weekday(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


# --- closed days: the service, the form, the API -------------------------------------------


def test_book_refuses_a_pickup_on_a_day_the_place_is_closed_and_says_why(
    drill, tool_centre, resident
):
    closed_on_sundays(tool_centre)

    with pytest.raises(PlaceClosed) as refused:
        services.book(member=resident, by=resident, item=drill, start=SUNDAY, end=SUNDAY, now=NOW)

    assert refused.value.code == "place_closed"
    assert refused.value.day == SUNDAY
    assert "휴관" in str(refused.value.message)  # "일요일 휴관": the resident's language
    assert not Booking.objects.exists()
    assert not Event.objects.filter(action=Event.Action.BOOK).exists()


def test_book_refuses_a_return_on_a_closure_day_with_its_reason(drill, tool_centre, resident):
    Closure.objects.create(place=tool_centre, date=dt.date(2026, 11, 20), reason="Founders' day")

    with pytest.raises(PlaceClosed) as refused:
        services.book(
            member=resident,
            by=resident,
            item=drill,
            start=dt.date(2026, 11, 19),
            end=dt.date(2026, 11, 20),
            now=NOW,
        )

    assert "Founders' day" in str(refused.value.message)
    assert not Booking.objects.exists()


def test_book_any_copy_takes_one_at_an_open_place_when_another_is_closed(
    drill, tool_centre, other_centre, resident
):
    closed_on_sundays(tool_centre)
    open_copy = ItemFactory(title=drill.title, place=other_centre)

    booking = services.book(
        member=resident, by=resident, title=drill.title, start=SUNDAY, end=SUNDAY, now=NOW
    )

    assert booking.item == open_copy


def test_booking_form_refuses_a_closed_day_with_the_reason_in_english(
    english, drill, tool_centre, resident
):
    closed_on_sundays(tool_centre)
    english.force_login(resident)
    sunday = next_weekday(timezone.localdate(), 6)

    response = english.post(
        reverse("lending:book", args=[drill.title_id]),
        {"start": sunday.isoformat(), "end": sunday.isoformat(), "place": tool_centre.pk},
    )

    assert response.status_code == 400
    assert "Mapo Tool Library is closed on" in response.text
    assert "closed on Sunday" in response.text
    assert not Booking.objects.exists()


def test_booking_form_refuses_a_closure_in_korean(korean, drill, tool_centre, resident):
    day = next_weekday(timezone.localdate(), 2)
    Closure.objects.create(place=tool_centre, date=day, reason="성탄절")
    resident.preferred_language = "ko"
    resident.save(update_fields=["preferred_language"])
    korean.force_login(resident)

    response = korean.post(
        reverse("lending:book", args=[drill.title_id]),
        {"start": day.isoformat(), "end": day.isoformat(), "place": tool_centre.pk},
    )

    assert response.status_code == 400
    assert "마포 공구도서관" in response.text and "성탄절" in response.text
    assert "문을 닫습니다" in response.text
    assert not Booking.objects.exists()


def test_api_booking_on_a_closed_day_is_refused_with_the_reason(
    client, drill, tool_centre, resident
):
    closed_on_sundays(tool_centre)
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])
    client.force_login(resident)
    sunday = next_weekday(timezone.localdate(), 6)

    response = client.post(
        reverse("api:lending-book"),
        {"title": drill.title_id, "item": drill.code, "start": sunday, "end": sunday},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "place_closed"
    assert "closed on Sunday" in response.json()["detail"]
    assert not Booking.objects.exists()


# --- the booked return date at check-out ---------------------------------------------------


def test_check_out_keeps_the_booked_return_date(drill, resident, volunteer):
    booking = services.book(
        member=resident,
        by=resident,
        item=drill,
        start=dt.date(2026, 11, 19),
        end=dt.date(2026, 11, 20),
        now=NOW,
    )

    loan = services.check_out(
        item=drill, member=resident, by=volunteer, now=NOW + dt.timedelta(days=1)
    )

    assert loan.due_date == dt.date(2026, 11, 20)  # not the rule's 7 days (the 26th)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COLLECTED and loan.booking == booking
    event = Event.objects.get(action=Event.Action.CHECK_OUT)
    assert event.data["booked_until"] == "2026-11-20" and event.data["due"] == "2026-11-20"


def test_check_out_shows_a_changed_return_date_and_lends_only_once_confirmed(
    drill, tool_centre, resident, volunteer
):
    services.book(
        member=resident,
        by=resident,
        item=drill,
        start=dt.date(2026, 11, 19),
        end=dt.date(2026, 11, 20),
        now=NOW,
    )
    Closure.objects.create(place=tool_centre, date=dt.date(2026, 11, 20), reason="Flooding")
    at = NOW + dt.timedelta(days=1)

    with pytest.raises(DueDateChanged) as refused, translation.override("en"):
        services.check_out(item=drill, member=resident, by=volunteer, now=at)

    assert refused.value.due == dt.date(2026, 11, 21)
    assert "the place is closed that day: the return date becomes" in str(refused.value.message)
    assert not Loan.objects.exists()
    assert Booking.objects.get().status == Booking.Status.REQUESTED  # nothing changed

    loan = services.check_out(
        item=drill, member=resident, by=volunteer, now=at, confirm_due=dt.date(2026, 11, 21)
    )

    assert loan.due_date == dt.date(2026, 11, 21)


def test_api_check_out_refuses_a_changed_return_date_until_confirmed(
    client, drill, tool_centre, resident, volunteer
):
    today = timezone.localdate()
    services.book(member=resident, by=resident, item=drill, start=today, end=today)
    Closure.objects.create(place=tool_centre, date=today, reason="Flooding")
    client.force_login(volunteer)
    url = reverse("api:lending-check-out")
    body = {"item": drill.code, "member": resident.member_number}

    refused = client.post(url, body, content_type="application/json")
    new_due = today + dt.timedelta(days=1)
    confirmed = client.post(
        url, {**body, "confirm_due": new_due.isoformat()}, content_type="application/json"
    )

    assert refused.status_code == 409 and refused.json()["code"] == "due_date_changed"
    assert confirmed.status_code == 201
    assert Loan.objects.get().due_date == new_due


def test_desk_shows_the_changed_return_date_and_the_volunteer_confirms_it(
    client, drill, tool_centre, resident, volunteer
):
    today = timezone.localdate()
    services.book(member=resident, by=resident, item=drill, start=today, end=today)
    Closure.objects.create(place=tool_centre, date=today, reason="Flooding")
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    desk = reverse("tool_centres:desk", args=[tool_centre.slug])
    check_out = reverse("tool_centres:check-out", args=[tool_centre.slug])
    client.post(
        reverse("tool_centres:scan", args=[tool_centre.slug]), {"code": resident.member_number}
    )
    client.post(reverse("tool_centres:scan", args=[tool_centre.slug]), {"code": drill.code})

    client.post(check_out, {})
    page = client.get(desk).text

    assert "Booked to come back on" in page
    assert not Loan.objects.exists()
    new_due = today + dt.timedelta(days=1)
    assert f'name="confirm_due" value="{new_due.isoformat()}"' in page

    client.post(check_out, {"confirm_due": new_due.isoformat()})

    assert Loan.objects.get().due_date == new_due
    assert "1 item lent" in client.get(desk).text


# --- the pickup place ----------------------------------------------------------------------


def test_pickup_place_defaults_to_the_nearest_place_in_the_members_district(
    english, drill_title, mapo, gangnam, resident
):
    # The Mapo district point is near (37.566, 126.901); a far Mapo place sorts first by name.
    far = PlaceFactory(
        name_ko="가 먼 곳",
        name_en="A far place",
        district=mapo,
        latitude=Decimal("37.600"),
        longitude=Decimal("126.960"),
    )
    near = PlaceFactory(
        name_ko="나 가까운 곳",
        name_en="B near place",
        district=mapo,
        latitude=mapo.latitude,
        longitude=mapo.longitude,
    )
    elsewhere = PlaceFactory(name_ko="다 강남", name_en="C Gangnam", district=gangnam)
    for place in (far, near, elsewhere):
        ItemFactory(title=drill_title, place=place)
    english.force_login(resident)

    text = english.get(reverse("lending:title", args=[drill_title.pk])).text

    selected = re.search(r'<option value="(\d+)" selected>', text)
    assert selected is not None and int(selected.group(1)) == near.pk
    assert "Availability at B near place" in text


# --- the calendar --------------------------------------------------------------------------


def test_calendar_is_a_month_table_with_headers_and_closed_days_marked(english, drill, tool_centre):
    closed_on_sundays(tool_centre)
    today = timezone.localdate()
    sunday = next_weekday(today, 6)
    month = sunday.strftime("%Y-%m")

    text = english.get(reverse("lending:title", args=[drill.title_id]), {"month": month}).text

    table = text[text.index('<table class="month">') : text.index("</table>")]
    assert "<caption>" in table and "<thead>" in table
    headers = re.findall(r'<th scope="col">.*?</th>', table)
    assert len(headers) == 7 and "Sunday" in headers[0] and "Saturday" in headers[6]
    assert f"start={sunday.isoformat()}" not in table  # a closed day has no link
    assert "Closed" in table and "closed on Sunday" in table
    monday = sunday + dt.timedelta(days=1)
    if monday.month == sunday.month:
        assert f"start={monday.isoformat()}&amp;end={monday.isoformat()}" in table
    assert "Next free to pick up:" in text


def test_calendar_choosing_a_pickup_day_offers_return_days_and_fills_the_form(
    english, drill, tool_centre, resident
):
    english.force_login(resident)
    start = timezone.localdate() + dt.timedelta(days=2)
    url = reverse("lending:title", args=[drill.title_id])

    text = english.get(
        url, {"start": start.isoformat(), "end": start.isoformat(), "month": f"{start:%Y-%m}"}
    ).text

    assert f'name="start" value="{start.isoformat()}"' in text
    end = start + dt.timedelta(days=3)
    if end.month == start.month:
        assert f"start={start.isoformat()}&amp;end={end.isoformat()}#book-title" in text
    assert "choose as return day" in text and "your pickup day" in text


def test_calendar_moves_between_months_within_the_booking_horizon(english, drill):
    url = reverse("lending:title", args=[drill.title_id])

    first = english.get(url).text
    later = english.get(url, {"month": "2999-01"}).text  # clamped to the last bookable month

    assert "Next month" in first and "Previous month" not in first
    assert "Previous month" in later


@pytest.mark.parametrize("copies", [1, 20])
def test_item_page_query_count_is_the_same_with_1_and_20_copies(
    english, drill_title, tool_centre, resident, copies, django_assert_num_queries
):
    for _ in range(copies):
        ItemFactory(title=drill_title, place=tool_centre)
    Closure.objects.create(place=tool_centre, date=timezone.localdate(), reason="x")
    english.force_login(resident)
    url = reverse("lending:title", args=[drill_title.pk])
    english.get(url)  # the category tree cached
    # session user, title, user's district, copies, rules, queue, photos, occupancies,
    # opening hours, closures, photo right, tips, may the member leave one
    with django_assert_num_queries(13):
        response = english.get(url, {"start": timezone.localdate().isoformat()})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"month": "abcd-ef"},
        {"month": "0000-01"},
        {"start": "2026-02-30", "end": "x"},
        {"month": "9999-12", "start": "9999-12-31", "end": "9999-12-31"},
        {"copy": "NOPE", "place": "99999999999999999999"},
    ],
)
def test_item_page_ignores_odd_calendar_parameters(english, drill, query):
    response = english.get(reverse("lending:title", args=[drill.title_id]), query)

    assert response.status_code == 200
    assert '<table class="month">' in response.text
