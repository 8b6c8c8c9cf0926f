"""References after an agreement: each side, once, in confidence; coordinators read them at the
person's next screening; the other side never sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from homeshare import services
from homeshare.exceptions import AgreementRefused, NotAllowed
from homeshare.models import REFERENCE_WINDOW_DAYS, AgreementReference
from sharing_city.accounts.rights import close_account, export_for
from sharing_city.notifications.models import Notice

pytestmark = pytest.mark.django_db

HOST_SAYS = "Minji cooked on Sundays and always told me when she was late. A delight."
STUDENT_SAYS = "A kind host; the flat is cold in winter, so bring a thick blanket."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the refusals' words, as an English reader has them
        yield


@pytest.fixture
def ended(active_agreement, coordinator, today):
    return services.end_agreement(
        by=coordinator, agreement=active_agreement, ended_on=today, reason="The semester ended."
    )


def test_each_side_leaves_one_reference_about_the_other(ended, host_app, student_app):
    host, student = host_app.applicant, student_app.applicant

    by_host = services.leave_reference(by=host, agreement=ended, recommend="yes", text=HOST_SAYS)
    by_student = services.leave_reference(
        by=student, agreement=ended, recommend="doubts", text=STUDENT_SAYS
    )

    assert (by_host.about, by_host.author_side) == (student, "host")
    assert (by_student.about, by_student.author_side) == (host, "student")
    with pytest.raises(AgreementRefused, match="already left"):
        services.leave_reference(by=host, agreement=ended, recommend="no", text="Changed my mind")
    assert AgreementReference.objects.get(author=host).text == HOST_SAYS


def test_a_reference_waits_for_the_end_and_is_only_for_the_two_sides(
    active_agreement, host_app, make_member, coordinator, today
):
    with pytest.raises(AgreementRefused, match="once the agreement has ended"):
        services.leave_reference(
            by=host_app.applicant, agreement=active_agreement, recommend="yes", text=HOST_SAYS
        )
    ended = services.end_agreement(
        by=coordinator, agreement=active_agreement, ended_on=today, reason="Moved out."
    )
    with pytest.raises(NotAllowed):
        services.leave_reference(
            by=make_member("stranger"), agreement=ended, recommend="no", text="I was never there"
        )
    with pytest.raises(NotAllowed):  # the coordinator records checks; references are the sides'
        services.leave_reference(by=coordinator, agreement=ended, recommend="yes", text="Fine")
    late = timezone.now() + timedelta(days=REFERENCE_WINDOW_DAYS + 1)
    with pytest.raises(AgreementRefused, match="days after the agreement ends"):
        services.leave_reference(
            by=host_app.applicant, agreement=ended, recommend="yes", text=HOST_SAYS, now=late
        )
    for text in ("   ", "x" * 1001):
        with pytest.raises(AgreementRefused, match="1,000"):
            services.leave_reference(
                by=host_app.applicant, agreement=ended, recommend="yes", text=text
            )
    assert not AgreementReference.objects.exists()


def test_the_database_refuses_a_second_reference_and_one_about_oneself(
    ended, host_app, student_app
):
    host, student = host_app.applicant, student_app.applicant
    services.leave_reference(by=host, agreement=ended, recommend="yes", text=HOST_SAYS)
    # A second one by the host (about the student, as it should be): unique per side.
    # One by the student about the student (they have written none yet): not about oneself.
    for author, about, side in ((host, student, "host"), (student, student, "student")):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgreementReference.objects.create(
                agreement=ended,
                author=author,
                about=about,
                author_side=side,
                recommend="yes",
                text="again",
            )
    assert AgreementReference.objects.count() == 1


def test_ending_invites_both_sides_once_and_not_after_they_wrote(ended, host_app, student_app):
    from sharing_city.notifications.services import deliver_notice

    host, student = host_app.applicant, student_app.applicant
    invited = Notice.objects.filter(kind="homeshare_reference_invited")
    assert sorted(invited.values_list("recipient", flat=True)) == sorted([host.pk, student.pk])

    services.leave_reference(by=host, agreement=ended, recommend="yes", text=HOST_SAYS)
    for notice in invited:
        deliver_notice(notice.pk)

    # The host already wrote: their invitation is no longer due; the student's is sent.
    statuses = dict(invited.values_list("recipient", "status"))
    assert (statuses[student.pk], statuses[host.pk]) == ("sent", "cancelled")


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switcher's choice wins
    return client


def test_the_author_sees_a_form_then_a_thank_you_and_never_the_other_sides_words(
    client, ended, host_app, student_app
):
    host, student = host_app.applicant, student_app.applicant
    page = reverse("homeshare:match", args=[ended.match_id])
    client.force_login(host)
    assert "Leave a private reference" in client.get(page).content.decode()

    response = client.post(
        reverse("homeshare:leave-reference", args=[ended.pk]),
        {"recommend": "yes", "text": HOST_SAYS},
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your reference is with the coordinator" in html
    assert "Leave a private reference" not in html
    services.leave_reference(by=student, agreement=ended, recommend="doubts", text=STUDENT_SAYS)
    assert STUDENT_SAYS not in client.get(page).content.decode()  # the host never reads it
    client.force_login(student)
    assert HOST_SAYS not in client.get(page).content.decode()


def test_an_invalid_reference_form_is_refused_with_a_message(client, ended, host_app):
    client.force_login(host_app.applicant)

    response = client.post(
        reverse("homeshare:leave-reference", args=[ended.pk]), {"recommend": "maybe", "text": ""}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not AgreementReference.objects.exists()


def test_coordinators_read_them_on_the_agreement_and_at_the_next_screening(
    client, ended, host_app, student_app, make_student, coordinator, coordinator_elsewhere
):
    student = student_app.applicant
    services.leave_reference(
        by=host_app.applicant, agreement=ended, recommend="yes", text=HOST_SAYS
    )
    # The student applies again the next year: the coordinator screening them reads the host.
    student_app.status = "withdrawn"
    student_app.save(update_fields=["status"])
    again = make_student("student2", status="submitted", checks=False)
    again.applicant = student
    again.save()

    client.force_login(coordinator)
    agreement_page = client.get(reverse("homeshare:agreement", args=[ended.pk])).content.decode()
    review = client.get(
        reverse("homeshare:review", kwargs={"kind": "student", "pk": again.pk})
    ).content.decode()

    assert HOST_SAYS in agreement_page
    assert HOST_SAYS in review and "From the host" in review
    client.force_login(coordinator_elsewhere)
    assert client.get(reverse("homeshare:agreement", args=[ended.pk])).status_code == 403


def test_the_api_leaves_a_reference_as_the_page_does(ended, host_app, make_member, settings):
    api = APIClient()
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("api:homeshare-leave-reference", args=[ended.pk])
    api.force_authenticate(make_member("stranger"))
    assert api.post(url, {"recommend": "yes", "text": "x"}, format="json").status_code == 404

    api.force_authenticate(host_app.applicant)
    bad = api.post(url, {"recommend": "yes", "text": "x" * 1001}, format="json")
    made = api.post(url, {"recommend": "yes", "text": HOST_SAYS}, format="json")
    again = api.post(url, {"recommend": "no", "text": "again"}, format="json")

    assert bad.status_code == 400
    assert made.status_code == 201 and made.json()["text"] == HOST_SAYS
    assert again.status_code == 409 and "already left" in again.json()["detail"]


def test_export_holds_the_references_one_wrote_not_those_about_one(ended, host_app, student_app):
    host, student = host_app.applicant, student_app.applicant
    services.leave_reference(by=host, agreement=ended, recommend="yes", text=HOST_SAYS)
    services.leave_reference(by=student, agreement=ended, recommend="no", text=STUDENT_SAYS)

    exported = str(export_for(host))

    assert HOST_SAYS in exported
    assert STUDENT_SAYS not in exported


def test_closing_an_account_anonymises_the_references_by_and_about_the_member(
    ended, host_app, student_app
):
    host, student = host_app.applicant, student_app.applicant
    services.leave_reference(by=host, agreement=ended, recommend="yes", text=HOST_SAYS)
    services.leave_reference(by=student, agreement=ended, recommend="no", text=STUDENT_SAYS)

    close_account(user=student)

    assert not AgreementReference.objects.exists()
