"""Staff read their district's report and the public reads the city figures, on a phone and on a
desktop, with axe-core on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(districts):
    from lending.demo import load as lending_demo
    from sharing_city.accounts.demo import load as accounts_demo

    accounts_demo()
    lending_demo()


def log_in(page, url, username):
    page.goto(url + reverse("accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(url + reverse("accounts:staff-home"))


@pytest.mark.parametrize("viewport", ["page", "desktop_page"])
def test_staff_open_their_report_from_the_staff_page(
    request, viewport, live_server, demo_city, make_member, mapo
):
    page = request.getfixturevalue(viewport)
    make_member("report_staff", role="staff", district=mapo)
    url = live_server.url
    log_in(page, url, "report_staff")
    assert_accessible(page)

    page.locator(f"a[href='{reverse('reports:staff-start')}']").first.click()
    page.wait_for_url(url + reverse("reports:staff", kwargs={"code": mapo.code}))
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("table.report-table").count() >= 4
    assert page.locator(".figure dd").first.inner_text().strip() not in ("", "0")
    assert page.locator("a[href*='export/places.csv']").count() == 1
    assert_accessible(page)
    if viewport == "page":
        assert_fits_phone(page)

    # A reversed range is refused with a message on the page, not a crash.
    page.locator("input[name=start]").fill("2026-11-10")
    page.locator("input[name=end]").fill("2026-11-01")
    page.locator("form.report-filters button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.goto(url + reverse("reports:impact-factors"))
    assert_accessible(page)
    if viewport == "page":
        assert_fits_phone(page)


@pytest.mark.parametrize("viewport", ["page", "desktop_page"])
def test_anyone_reads_the_city_figures_and_the_open_data_page(
    request, viewport, live_server, demo_city, mapo
):
    page = request.getfixturevalue(viewport)
    url = live_server.url
    page.goto(url + reverse("core:home"))
    page.locator(f"nav a[href='{reverse('reports:public')}']").click()
    page.wait_for_url(url + reverse("reports:public"))
    assert page.locator("svg.chart").count() >= 3
    assert_accessible(page)
    if viewport == "page":
        assert_fits_phone(page)
        # The charts' labels as drawn on the phone: no smaller than 12 px (they were 7 px).
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(
                t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12, f"a chart label is drawn at {smallest:.1f} px"

    page.locator("select[name=district]").select_option(mapo.code)
    page.locator("form.report-filters button[type=submit]").click()
    page.wait_for_url(f"**district={mapo.code}**")
    assert mapo.name_ko in page.locator("h1").inner_text()
    assert page.locator("a[href*='export']").count() == 0
    assert_accessible(page)

    page.goto(url + reverse("reports:open-data"))
    assert page.locator("code", has_text="borrowers").count() >= 1
    assert_accessible(page)
    if viewport == "page":
        assert_fits_phone(page)
