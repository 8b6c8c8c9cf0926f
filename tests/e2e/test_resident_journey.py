# ruff: noqa: F811  (fixtures imported from lending.tests.conftest are parameters here)
"""A resident on a phone, in Korean: searches the catalogue, books a drill for next Saturday,
finds it in "my bookings", renews one loan and is told why another cannot be renewed."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lending import services
from lending.models import Booking, Loan
from lending.tests.conftest import drill, drill_title, drills, tool_centre, volunteer  # noqa: F401
from lending.tests.factories import ItemFactory, TitleFactory

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_saturday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


def log_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_search_book_next_saturday_renew_and_see_a_refusal(
    page,
    live_server,
    drill,
    drills,
    tool_centre,
    volunteer,
    resident,
    other_resident,
):
    ladder = ItemFactory(
        code="TC-0101",
        title=TitleFactory(category=drills, name_ko="알루미늄 사다리", name_en="Ladder"),
        place=tool_centre,
    )
    toolbox = ItemFactory(
        code="TC-0102",
        title=TitleFactory(category=drills, name_ko="공구 상자", name_en="Toolbox"),
        place=tool_centre,
    )
    renewable = services.check_out(item=ladder, member=resident, by=volunteer)
    waited_for = services.check_out(item=toolbox, member=resident, by=volunteer)
    services.place_hold(
        member=other_resident, title=toolbox.title, place=tool_centre, by=other_resident
    )
    log_in(page, live_server, resident)
    saturday = next_saturday(timezone.localdate())

    # Search in Korean with part of a word.
    page.goto(live_server.url + reverse("lending:catalogue"))
    assert_accessible(page)
    page.get_by_label("검색").fill("드릴")
    with page.expect_navigation():  # the checks below read the next page
        page.get_by_role("button", name="검색").click()
    expect(page.get_by_text("1개 중 1개 지금 대출 가능")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    with page.expect_navigation():  # the checks below read the next page
        page.get_by_role("link", name="충전식 전동드릴 18V").click()
    expect(page.get_by_role("heading", name="충전식 전동드릴 18V")).to_be_visible()
    expect(page.get_by_text("7일 동안 빌릴 수 있습니다.").first).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    # Book it for next Saturday.
    page.get_by_label("시작일").fill(saturday.isoformat())
    page.get_by_label("종료일").fill(saturday.isoformat())
    page.get_by_role("button", name="이 날짜로 예약").click()
    page.wait_for_url(live_server.url + reverse("lending:my-bookings"))
    expect(page.get_by_role("heading", name="충전식 전동드릴 18V")).to_be_visible()
    expect(page.get_by_text("예약했습니다: TC-0001.")).to_be_visible()
    booking = Booking.objects.get(member=resident)
    assert (booking.start_date, booking.item) == (saturday, drill)
    assert_accessible(page)
    assert_fits_phone(page)

    # My loans: renew the ladder; the toolbox cannot be renewed, and says why.
    with page.expect_navigation():  # the checks below read the next page
        page.get_by_role("link", name="내 대출").first.click()
    expect(page.get_by_text("이 물품을 기다리는 사람이 있어 연장할 수 없습니다.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("연장하기.*알루미늄 사다리")).click()
    page.wait_for_url(live_server.url + reverse("lending:my-loans"))
    assert "연장했습니다." in page.locator(".message-success").inner_text()
    renewable.refresh_from_db()
    waited_for.refresh_from_db()
    assert renewable.renewals == 1 and waited_for.renewals == 0
    expect(page.get_by_text("허용된 횟수만큼 이미 대출을 연장했습니다.")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    assert Loan.objects.filter(member=resident, returned_at__isnull=True).count() == 2


def test_steward_imports_a_book_list_and_sees_each_bad_row(
    page, live_server, make_member, tmp_path
):
    from lending.models import Category, Item, Place
    from lending.tests.factories import PlaceFactory, assign

    Category.objects.create(slug="books", name_ko="도서", name_en="Books")
    library = PlaceFactory(
        name_ko="작은도서관", name_en="Mini library", kind=Place.Kind.APARTMENT_LIBRARY
    )
    steward = make_member("steward", role="volunteer")
    assign(steward, library, role="lead")
    bad = tmp_path / "books.csv"
    bad.write_text(
        "code,name_ko,name_en,author,publisher,year,isbn,category\n"
        ",채식주의자,,한강,창비,2007,9788936433598,books\n"
        ",이상한 책,,,,20X7,978-0-00-000000-1,books\n",
        encoding="utf-8",
    )
    log_in(page, live_server, steward)

    page.goto(live_server.url + reverse("lending:import"))
    assert_accessible(page)
    page.get_by_label("장소").select_option(label="작은도서관")
    page.get_by_label("CSV 파일").set_input_files(str(bad))
    page.get_by_role("button", name="확인하고 가져오기").click()

    errors = page.locator(".import-errors").inner_text()
    assert "3행" in errors and "올바른 연도가 아닙니다" in errors and "ISBN" in errors
    assert not Item.objects.exists()
    assert_accessible(page)
    assert_fits_phone(page)
