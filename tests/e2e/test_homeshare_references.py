"""After a home-share ends, the host leaves a private reference with the keyboard on a phone (in
Korean), and the coordinator reads it when the student applies again (in English); the student
never sees it. axe-core on each page, and on the form and the coordinator's page in the other
language too (a page per language switch, not a second journey)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from homeshare import services
from homeshare.tests.conftest import (  # noqa: F401 - fixtures
    accepted,
    active_agreement,
    commute,
    host_app,
    make_host,
    make_student,
    proposed,
    run,
    student_app,
    today,
)

from .test_homeshare_journey import check, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAYS = "설거지를 늘 먼저 해 주던 성실한 학생이었습니다."


def in_language(member, language, page) -> None:  # type: ignore[no-untyped-def]
    """The member's pages follow their saved language: save it and show the page again."""
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    page.reload()
    assert page.locator("html").get_attribute("lang") == language


def test_host_leaves_a_reference_the_coordinator_reads_it_at_the_next_screening(
    browser,
    live_server,
    active_agreement,  # noqa: F811
    coordinator,
    host_app,  # noqa: F811
    student_app,  # noqa: F811
    make_student,  # noqa: F811
    today,  # noqa: F811
):
    ended = services.end_agreement(
        by=coordinator, agreement=active_agreement, ended_on=today, reason="학기가 끝났습니다."
    )
    host, student = host_app.applicant, student_app.applicant
    host.preferred_language = "ko"  # the host in Korean, the coordinator below in English
    host.save(update_fields=["preferred_language"])
    url = live_server.url

    page = log_in(browser, url, host.username)
    page.goto(url + reverse("homeshare:match", args=[ended.match_id]))
    expect(page.get_by_role("heading", name="비공개 후기 남기기")).to_be_visible()
    check(page)
    in_language(host, "en", page)
    expect(page.get_by_role("heading", name="Leave a private reference")).to_be_visible()
    check(page)
    in_language(host, "ko", page)
    # Keyboard only: the first choice, then the text, then the button.
    page.locator("input[name=recommend]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type(SAYS)
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("후기가 코디네이터에게 전달되었습니다").first).to_be_visible()
    check(page)

    # The student applies again; their old application is closed.
    student_app.status = "withdrawn"
    student_app.save(update_fields=["status"])
    again = make_student("student_again", status="submitted", checks=False)
    again.applicant = student
    again.save(update_fields=["applicant"])

    student_page = log_in(browser, url, student.username)
    student_page.goto(url + reverse("homeshare:match", args=[ended.match_id]))
    assert SAYS not in student_page.content()

    coordinator.preferred_language = "en"
    coordinator.save(update_fields=["preferred_language"])
    coord = log_in(browser, url, coordinator.username)
    coord.goto(url + reverse("homeshare:review", kwargs={"kind": "student", "pk": again.pk}))
    expect(coord.get_by_role("heading", name="From earlier home-shares")).to_be_visible()
    expect(coord.get_by_text(SAYS)).to_be_visible()
    check(coord)
    in_language(coordinator, "ko", coord)
    expect(coord.get_by_text(SAYS)).to_be_visible()
    check(coord)
