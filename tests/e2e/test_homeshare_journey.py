"""Home-share end to end on a phone: host and student apply, the coordinator screens both, runs
matching and proposes, both accept, the agreement is confirmed, and the first check-in reminder
reaches the coordinator. axe-core runs on every page; the address stays hidden until both accept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from homeshare.models import Agreement, CheckInReminder, HostApplication, StudentApplication
from homeshare.selectors import load_commute_file
from homeshare.tasks import send_check_in_reminders

from .conftest import PHONE, _context, assert_accessible, assert_fits_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADDRESS = "마포구 성미산로 17길 9, 201호"
PHONE_NUMBER = "010-7777-3131"


def check(page) -> None:  # type: ignore[no-untyped-def]
    assert_accessible(page)
    assert_fits_phone(page)


def record_checks(page, today) -> None:  # type: ignore[no-untyped-def]
    """Two confirmed references and a confirmed ID check: what approval needs."""
    for kind, referee in (
        ("Reference", "Kim Young-hee"),
        ("Reference", "Lee Su-jin"),
        ("ID check", ""),
    ):
        page.get_by_label("Check", exact=True).select_option(label=kind)
        page.get_by_label("Referee's name (references)").fill(referee)
        page.get_by_label("Checked on").fill(today.isoformat())
        page.get_by_label("How", exact=True).select_option(label="By phone")
        page.get_by_label("Confirmed: no concerns").check()
        page.get_by_role("button", name="Record the check").click()
        page.get_by_text(referee or "ID check").first.wait_for()


def log_in(browser, url, username):  # type: ignore[no-untyped-def]
    page = _context(browser, PHONE).new_page()
    page.set_default_timeout(10_000)
    page.goto(url + reverse("accounts:login"))
    # The login page is in Korean (the browser's language); the member's pages are in English.
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_host_and_student_matched_through_to_the_first_check_in_reminder(
    browser, live_server, make_member, mapo
):
    load_commute_file("seoul")
    for username, role in [("hana", "resident"), ("minho", "resident"), ("coord", "coordinator")]:
        make_member(username, role=role, district=mapo, preferred_language="en")
    url = live_server.url
    today = timezone.localdate()

    # --- The host applies -------------------------------------------------------------------
    host = log_in(browser, url, "hana")
    host.goto(url + reverse("core:home"))
    host.get_by_role("link", name="Home-share").first.click()
    check(host)
    host.get_by_role("link", name="Apply as a host").click()
    check(host)
    host.get_by_label("Date of birth").fill("1952-05-04")
    host.get_by_label("District of your home").select_option(label="Mapo-gu")
    host.get_by_label("Address").fill(ADDRESS)
    host.get_by_label("Contact phone").fill(PHONE_NUMBER)
    host.get_by_label("Room size (m²)").fill("12")
    host.get_by_label("Rent asked per month (₩)").fill("250000")
    host.get_by_label("Conversation and company").check()
    host.get_by_label("Shopping", exact=True).check()
    host.get_by_label("Korean", exact=True).check()
    host.get_by_label("Music", exact=True).check()
    host.get_by_label("Available from").fill(today.isoformat())
    host.get_by_label("About me").fill("I live with my cat's memories and many books.")
    host.get_by_role("button", name="Submit application").click()
    host.get_by_text("Waiting for screening").wait_for()
    check(host)
    assert HostApplication.objects.get().status == "submitted"

    # --- The student applies (a first try without help offered is refused) -----------------
    student = log_in(browser, url, "minho")
    student.goto(url + reverse("homeshare:start"))
    student.get_by_role("link", name="Apply as a student").click()
    student.get_by_label("District you apply in").select_option(label="Mapo-gu")
    student.get_by_label("University").select_option(label="Hongik University")
    student.get_by_label("Gender").select_option("male")
    student.get_by_label("Budget per month (₩)").fill("300000")
    student.get_by_label("Korean", exact=True).check()
    student.get_by_label("Music", exact=True).check()
    student.get_by_label("Available from").fill(today.isoformat())
    student.get_by_role("button", name="Submit application").click()
    expect(student.get_by_role("alert")).to_be_visible()
    check(student)
    student.get_by_label("Conversation and company").check()
    student.get_by_label("Shopping", exact=True).check()
    student.get_by_role("button", name="Submit application").click()
    student.get_by_text("Waiting for screening").wait_for()
    check(student)

    # --- The coordinator screens both ---------------------------------------------------------
    coord = log_in(browser, url, "coord")
    coord.get_by_role("link", name="Home-share coordination").click()
    check(coord)
    coord.get_by_role("link", name="Hana").click()
    check(coord)
    coord.get_by_label("Interview date").fill(today.isoformat())
    coord.get_by_label("Home visit date").fill(today.isoformat())
    coord.get_by_label("Home visit notes").fill("Bright room, lift, quiet street.")
    coord.get_by_role("button", name="Save screening notes").click()
    record_checks(coord, today)
    coord.get_by_label("Approve").check()
    coord.get_by_role("button", name="Record the decision").click()
    check(coord)
    coord.get_by_role("link", name="Minho").click()
    coord.get_by_label("Interview date").fill(today.isoformat())
    coord.get_by_label("Proof of enrolment checked").check()
    coord.get_by_role("button", name="Save screening notes").click()
    record_checks(coord, today)
    coord.get_by_label("Approve").check()
    coord.get_by_role("button", name="Record the decision").click()
    assert StudentApplication.objects.get().status == "approved"

    # --- Matching and the proposal ------------------------------------------------------------
    coord.get_by_role("link", name="Run matching").click()
    check(coord)
    coord.get_by_label("Term ends").fill((today + timedelta(days=200)).isoformat())
    coord.get_by_role("button", name="Run matching").click()
    coord.get_by_role("heading", name="Matching shortlist").wait_for()
    expect(coord.get_by_text("Best overall assignment").first).to_be_visible()
    check(coord)
    coord.get_by_role("button", name="Propose this match").first.click()
    coord.get_by_role("heading", name="Home-share proposal").wait_for()
    check(coord)

    # --- Both accept; the address appears for the student only then -------------------------
    student.goto(url + reverse("homeshare:start"))
    student.get_by_role("link", name="Home-share in Mapo-gu").click()
    check(student)
    assert ADDRESS not in student.content() and "01077773131" not in student.content()
    student.get_by_label("Accept").check()
    student.get_by_role("button", name="Send my answer").click()
    check(student)
    assert ADDRESS not in student.content()

    host.goto(url + reverse("homeshare:start"))
    host.get_by_role("link", name="Home-share in Mapo-gu").click()
    check(host)
    host.get_by_label("Accept").check()
    host.get_by_role("button", name="Send my answer").click()

    student.reload()
    assert ADDRESS in student.locator(".hs-address").inner_text()
    check(student)

    # --- Introduction meeting and agreement -------------------------------------------------
    coord.reload()
    coord.get_by_label("Introduction meeting date").fill(today.isoformat())
    coord.get_by_role("button", name="Record the meeting").click()
    coord.get_by_label("House rules").fill("Quiet after 22:00. Shoes off inside.")
    coord.get_by_role("button", name="Save the agreement").click()
    check(coord)
    for page in (host, student):
        page.reload()
        page.get_by_role("button", name="I confirm the agreement").click()
        check(page)
    agreement = Agreement.objects.get()
    assert agreement.status == "active"
    assert agreement.end_on.month == (today.month + 5) % 12 + 1

    # --- Both applicants heard each step by email; the student never saw the address -------
    host_email, student_email = "hana@example.org", "minho@example.org"
    for email in (host_email, student_email):
        subjects = [m.subject for m in mail.outbox if m.to == [email]]
        assert any("approved" in s for s in subjects)
        assert any("match is proposed" in s for s in subjects)
        assert any("accepted the home-share match" in s for s in subjects)
        assert any("agreement is ready" in s for s in subjects)
        assert any("check-ins scheduled" in s for s in subjects)
    to_student = [m.body for m in mail.outbox if m.to == [student_email]]
    assert all(ADDRESS not in body and "01077773131" not in body for body in to_student)
    assert all(m.to != ["coord@example.org"] for m in mail.outbox)
    mail.outbox.clear()

    # --- Celery reminds the coordinator of the first check-in ------------------------------
    first = agreement.check_ins.first()
    assert first.due_on == today + timedelta(days=7)
    send_check_in_reminders((first.due_on - timedelta(days=2)).isoformat())
    assert [m.to for m in mail.outbox] == [["coord@example.org"]]
    assert CheckInReminder.objects.get().status == "sent"
    coord.get_by_role("link", name="Check-ins, extension and ending").click()
    expect(coord.get_by_text("Reminder: Sent").first).to_be_visible()
    check(coord)
