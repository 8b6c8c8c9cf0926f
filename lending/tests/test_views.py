"""The catalogue, item page and a resident's pages: who -> what -> what they see, then the
database. Refusals are 4xx with the reason in the reader's language and change nothing."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lending import services
from lending.models import Booking, Category, Event, Loan, Occupancy
from lending.views import search as catalogue_search

from .factories import CategoryFactory, ItemFactory, PlaceFactory, TitleFactory

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


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def as_resident(english, resident):
    english.force_login(resident)
    return english


# --- catalogue -----------------------------------------------------------------------------


def test_catalogue_finds_part_of_a_korean_word(english, drill):
    response = english.get(reverse("lending:catalogue"), {"q": "드릴"})

    assert response.status_code == 200
    assert "Cordless drill 18 V" in response.content.decode()
    assert "1 of 1 available now" in response.content.decode()


def test_catalogue_finds_english_words_and_says_when_nothing_matches(english, drill):
    assert "Cordless drill" in english.get(reverse("lending:catalogue"), {"q": "drill"}).text
    response = english.get(reverse("lending:catalogue"), {"q": "사다리"})
    assert "Nothing found" in response.text


def test_category_filter_includes_subcategories(english, drill, drills):
    tools = CategoryFactory(slug="tools", name_ko="공구", name_en="Tools")
    Category.objects.filter(pk=drills.pk).update(parent=tools)
    ItemFactory(title=TitleFactory(name_en="Umbrella", name_ko="우산"), place=drill.place)

    response = english.get(reverse("lending:catalogue"), {"category": "tools"})

    assert "Cordless drill 18 V" in response.text
    assert "Umbrella" not in response.text


def test_available_now_hides_titles_whose_copies_are_all_out(english, drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer)
    url = reverse("lending:catalogue")

    assert "Cordless drill" in english.get(url).text
    assert "none free now" in english.get(url).text
    assert "Cordless drill" not in english.get(url, {"available": "on"}).text


def test_date_filter_keeps_titles_with_a_copy_free_for_those_dates(english, drill, resident):
    start = today() + dt.timedelta(days=3)
    services.book(member=resident, by=resident, item=drill, start=start, end=start)
    url = reverse("lending:catalogue")

    busy = english.get(url, {"start": start.isoformat(), "end": start.isoformat()})
    free = english.get(url, {"start": (start + dt.timedelta(days=10)).isoformat()})

    assert "Cordless drill" not in busy.text
    assert "Cordless drill" in free.text


def test_catalogue_refuses_reversed_or_past_dates_with_a_message(english, drill):
    url = reverse("lending:catalogue")
    reversed_dates = english.get(url, {"start": "2099-01-05", "end": "2099-01-01"})
    past = english.get(url, {"start": "2001-01-01"})
    garbage = english.get(url, {"start": "not-a-date", "category": "no-such"})

    assert reversed_dates.status_code == 400
    assert "The end date must be on or after the start date." in reversed_dates.text
    assert past.status_code == 400 and "Choose a date from today." in past.text
    assert garbage.status_code == 400 and "Enter a valid date." in garbage.text


def test_catalogue_sorts_by_most_borrowed(english, drill, tool_centre, resident, volunteer):
    ladder = ItemFactory(
        title=TitleFactory(name_ko="가 사다리", name_en="A ladder"), place=tool_centre
    )
    services.check_out(item=drill, member=resident, by=volunteer)
    text = english.get(reverse("lending:catalogue"), {"sort": "popular"}).text

    assert text.index("Cordless drill") < text.index("A ladder")
    by_name = english.get(reverse("lending:catalogue")).text
    assert by_name.index("A ladder") < by_name.index("Cordless drill")
    assert ladder.code


def test_catalogue_counts_up_to_a_cap_and_says_more_than(
    english, client, tool_centre, drills, monkeypatch
):
    monkeypatch.setattr(catalogue_search, "COUNT_CAP", 3)
    _titles(4, tool_centre, drills)

    response = english.get(reverse("lending:catalogue"), {"q": "드릴"})
    assert response.status_code == 200
    assert "More than 3 results" in response.text
    assert "Drill 0" in response.text  # the page itself is whole
    exact = english.get(reverse("lending:catalogue"), {"q": "drill 1"}).text
    assert "1 result" in exact and "More than" not in exact
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert "결과 3건 이상" in client.get(reverse("lending:catalogue"), {"q": "드릴"}).text


def _titles(n, place, category):
    for i in range(n):
        title = TitleFactory(category=category, name_ko=f"전동드릴 {i}", name_en=f"Drill {i}")
        ItemFactory(title=title, place=place)
        ItemFactory(title=title, place=place)


@pytest.mark.parametrize("rows", [1, 50])
def test_catalogue_query_count_does_not_grow_with_rows(
    english, tool_centre, drills, rows, django_assert_max_num_queries
):
    _titles(rows, tool_centre, drills)
    # first search of these words: exact matches up to a page, typo candidates (only below a
    # page); then count, page, copies and free copies per place, the cards' first photos, + the
    # filter form's lists
    with django_assert_max_num_queries(9):
        response = english.get(reverse("lending:catalogue"), {"q": "드릴"})
    assert response.status_code == 200


def test_catalogue_reads_its_filter_lists_once_then_from_the_cache(
    english, tool_centre, drills, django_assert_num_queries
):
    _titles(3, tool_centre, drills)
    english.get(reverse("lending:catalogue"), {"category": "drills"})  # the lists, the tree
    # exact matches up to a page, typo candidates, count, page, copies and free copies per
    # place, the cards' first photos: no list queried again (place names from the cached list)
    with django_assert_num_queries(6):
        response = english.get(reverse("lending:catalogue"), {"q": "드릴", "category": "drills"})
    assert response.status_code == 200
    assert "Drill 2" in response.text


def test_catalogue_filter_shows_a_new_place_at_once(english, tool_centre, drills):
    english.get(reverse("lending:catalogue"))  # the lists are cached now
    PlaceFactory(name_en="Hapjeong Tool Library")

    response = english.get(reverse("lending:catalogue"))

    assert "Hapjeong Tool Library" in response.text


def test_catalogue_filter_refuses_a_place_that_closed(english, tool_centre, drills):
    english.get(reverse("lending:catalogue"))
    tool_centre.is_active = False
    tool_centre.save()

    response = english.get(reverse("lending:catalogue"), {"place": tool_centre.slug})

    assert response.status_code == 400
    assert f"There is no open place “{tool_centre.slug}”." in response.text


# --- item page -----------------------------------------------------------------------------


def test_item_page_shows_rules_in_words_status_calendar_and_queue(
    english, drill, second_drill, drills, resident, other_resident, volunteer
):
    services.check_out(item=drill, member=resident, by=volunteer)
    drills.rules.update(requires_verified_member=True, deposit=30000)

    response = english.get(reverse("lending:title", args=[drill.title_id]))

    text = response.text
    assert response.status_code == 200
    assert "Borrow for 7 days." in text
    assert "Renew up to 1 times for 7 days if nobody is waiting." in text
    assert "Verified members only." in text and "Deposit 30,000원." in text
    assert "On loan" in text and "Available" in text
    assert "1 of 2 free" in text  # today, in words, not colour only
    assert "0 people are waiting in the queue." in text
    assert '<table class="month">' in text  # a month grid, not a 60-row list
    assert text.count('<th scope="col">') == 7


def test_item_page_lists_other_places_nearest_first(english, drill, other_centre, resident):
    ItemFactory(title=drill.title, place=other_centre)
    english.force_login(resident)  # lives in Mapo: the Mapo centre comes first

    text = english.get(reverse("lending:title", args=[drill.title_id])).text

    assert text.index("Mapo Tool Library") < text.index("Gangnam Tool Library")
    assert "km away" in text


@pytest.mark.parametrize("copies", [1, 50])
def test_item_page_query_count_does_not_grow_with_copies(
    english, drill_title, tool_centre, copies, django_assert_num_queries
):
    for _ in range(copies):
        ItemFactory(title=drill_title, place=tool_centre)
    # + the pickup place's opening hours and closures, the title's tips
    with django_assert_num_queries(10):
        response = english.get(reverse("lending:title", args=[drill_title.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("places", [1, 6])
def test_item_page_with_booking_forms_query_count_does_not_grow_with_places(
    as_resident, drill_title, places, django_assert_num_queries
):
    for _ in range(places):
        ItemFactory(title=drill_title, place=PlaceFactory())
    as_resident.get(reverse("lending:title", args=[drill_title.pk]))  # the category tree cached
    # user, title, user's district, copies, rules, queue, photos, calendar, the pickup place's
    # hours and closures, photo right (the session comes from the cache; the two forms list
    # the copies' places from memory), tips, may the member leave one
    with django_assert_num_queries(13):
        response = as_resident.get(reverse("lending:title", args=[drill_title.pk]))
    assert response.status_code == 200
    assert response.text.count('<option value="') >= 2 * places  # pick-up and queue places


# --- booking from the item page ------------------------------------------------------------


def _book(client, item, start, end, copy=None):
    return client.post(
        reverse("lending:book", args=[item.title_id]),
        {
            "start": start,
            "end": end,
            "place": item.place_id,
            "copy": copy if copy is not None else item.code,
        },
    )


def test_resident_books_a_copy_and_sees_it_in_my_bookings(as_resident, drill, resident):
    start = today() + dt.timedelta(days=2)

    response = _book(as_resident, drill, start, start + dt.timedelta(days=1))

    assert response.status_code == 302
    booking = Booking.objects.get(member=resident)
    assert (booking.item, booking.start_date) == (drill, start)
    page = as_resident.get(reverse("lending:my-bookings")).text
    assert "Cordless drill 18 V" in page and drill.code in page


def test_booking_any_copy_picks_a_free_one(as_resident, drill, second_drill, other_resident):
    start = today() + dt.timedelta(days=2)
    services.book(member=other_resident, by=other_resident, item=drill, start=start, end=start)

    assert _book(as_resident, drill, start, start, copy="").status_code == 302
    assert Booking.objects.get(member__username="resident").item == second_drill


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 3, "The end date must be on or after the start date."),
        (-2, -1, "Choose a start date from today."),
        ("garbage", 1, "Enter a valid date."),
    ],
)
def test_booking_form_refuses_bad_dates_with_a_message(as_resident, drill, start, end, message):
    def day(v):
        return v if isinstance(v, str) else today() + dt.timedelta(days=v)

    before = snapshot()
    response = _book(as_resident, drill, day(start), day(end))

    assert response.status_code == 400
    assert message in response.text
    assert snapshot() == before


def test_booking_refused_by_the_service_shows_why_and_changes_nothing(
    as_resident, drill, other_resident
):
    start = today() + dt.timedelta(days=2)
    services.book(member=other_resident, by=other_resident, item=drill, start=start, end=start)
    before = snapshot()

    response = _book(as_resident, drill, start, start)

    assert response.status_code == 409
    assert "This item is booked from" in response.text
    assert snapshot() == before


def test_booking_refusal_is_in_korean_for_korean_readers(client, resident, drill, other_resident):
    client.force_login(resident)
    start = today() + dt.timedelta(days=2)
    services.book(member=other_resident, by=other_resident, item=drill, start=start, end=start)

    response = _book(client, drill, start, start)

    assert response.status_code == 409
    assert "예약되어 있습니다" in response.text


def test_anonymous_visitor_is_sent_to_log_in_before_booking(client, drill):
    response = _book(client, drill, today(), today())
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Booking.objects.exists()


def test_join_the_queue_and_leave_it(as_resident, drill, other_resident, volunteer, resident):
    services.check_out(item=drill, member=other_resident, by=volunteer)

    response = as_resident.post(
        reverse("lending:join-queue", args=[drill.title_id]), {"place": drill.place_id}
    )

    assert response.status_code == 302
    hold = Booking.objects.get(member=resident)
    assert hold.is_queue_hold and hold.status == "requested"
    assert "You are number 1 in line." in as_resident.get(reverse("lending:my-bookings")).text
    as_resident.post(reverse("lending:cancel-booking", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == "cancelled"


def test_resident_cannot_cancel_another_residents_booking(as_resident, drill, other_resident):
    start = today() + dt.timedelta(days=2)
    theirs = services.book(
        member=other_resident, by=other_resident, item=drill, start=start, end=start
    )

    response = as_resident.post(reverse("lending:cancel-booking", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "requested"


# --- my loans ------------------------------------------------------------------------------


def test_my_loans_offers_renewal_and_renews(as_resident, drill, resident, volunteer):
    loan = services.check_out(item=drill, member=resident, by=volunteer)
    page = as_resident.get(reverse("lending:my-loans")).text
    assert "Renew" in page

    response = as_resident.post(reverse("lending:renew", args=[loan.pk]))

    assert response.status_code == 302
    old_due = loan.due_date
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_date > old_due
    assert "This loan has been renewed as many times as allowed." in (
        as_resident.get(reverse("lending:my-loans")).text
    )


def test_renewal_refused_when_someone_waits_shows_the_reason_and_changes_nothing(
    as_resident, drill, resident, other_resident, volunteer
):
    loan = services.check_out(item=drill, member=resident, by=volunteer)
    services.place_hold(
        member=other_resident, title=drill.title, place=drill.place, by=other_resident
    )
    assert "Someone is waiting for this item" in as_resident.get(reverse("lending:my-loans")).text
    before = snapshot()

    response = as_resident.post(reverse("lending:renew", args=[loan.pk]))

    assert response.status_code == 409
    assert "Someone is waiting for this item, so it cannot be renewed." in response.text
    assert snapshot() == before


def test_resident_cannot_renew_another_residents_loan(
    as_resident, drill, other_resident, volunteer
):
    loan = services.check_out(item=drill, member=other_resident, by=volunteer)

    assert as_resident.post(reverse("lending:renew", args=[loan.pk])).status_code == 404
    loan.refresh_from_db()
    assert loan.renewals == 0


@pytest.mark.parametrize("rows", [1, 50])
def test_my_loans_query_count_does_not_grow_with_loans(
    as_resident, resident, tool_centre, drills, rows, django_assert_num_queries
):
    for i in range(rows):
        item = ItemFactory(title=TitleFactory(category=drills), place=tool_centre)
        Loan.objects.create(
            item=item,
            member=resident,
            place=tool_centre,
            checked_out_at=timezone.now(),
            due_date=today() + dt.timedelta(days=i % 9 - 2),
            renewals=i % 2,
        )
    with django_assert_num_queries(7):
        response = as_resident.get(reverse("lending:my-loans"))
    assert response.status_code == 200


def test_history_lists_returned_loans(as_resident, drill, resident, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer)
    services.check_in(item=drill, by=volunteer)

    page = as_resident.get(reverse("lending:my-history")).text

    assert "Cordless drill 18 V" in page


def test_resident_pages_need_a_login(client):
    for name in ("lending:my-loans", "lending:my-bookings", "lending:my-history"):
        response = client.get(reverse(name))
        assert response.status_code == 302


def test_home_points_tools_and_books_at_the_filtered_catalogue(client, drill):
    text = client.get(reverse("core:home")).text
    catalogue = reverse("lending:catalogue")

    assert f'href="{catalogue}?category=tools"' in text
    assert f'href="{catalogue}?category=books"' in text
    programme = client.get(reverse("core:programme", args=["tools"])).text
    assert f"{catalogue}?category=tools" in programme


def test_member_with_an_overdue_loan_cannot_join_a_queue_and_is_told_why(
    as_resident, drill, second_drill, resident, volunteer
):
    services.check_out(
        item=drill, member=resident, by=volunteer, now=timezone.now() - dt.timedelta(days=30)
    )
    before = snapshot()

    response = as_resident.post(
        reverse("lending:join-queue", args=[drill.title_id]), {"place": drill.place_id}
    )

    assert response.status_code == 409
    assert "The member has overdue items" in response.text
    assert snapshot() == before


def test_join_queue_refuses_a_place_without_copies(as_resident, drill, other_centre):
    before = snapshot()
    response = as_resident.post(
        reverse("lending:join-queue", args=[drill.title_id]), {"place": other_centre.pk}
    )
    assert response.status_code == 400
    assert snapshot() == before
