"""The outcome loop: asked the day after the interview and once more a week later, answered
through a signed link without signing in."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse

from closets import outcomes, reminders, services
from closets.models import ClosetEvent, Rental, RenterProfile
from sharing_city.notifications.models import Notice

from .conftest import NOW, TODAY, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def rental(resident, make_garment, paid_programme, closet, closet_volunteer):
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=TODAY + dt.timedelta(days=2),
    )
    return services.rent_outfit(
        member=resident,
        garments=[make_garment("jacket", bust=96)],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )


def sweep(day):
    return reminders.sweep_follow_ups(today=day, now=local(day, 10))


def follow_ups():
    return list(
        Notice.objects.filter(kind="closet_follow_up")
        .order_by("pk")
        .values_list("subject_id", "step")
    )


def test_asked_the_day_after_the_interview_not_on_the_day(rental):
    interview = rental.interview_date
    assert sweep(interview) == 0
    assert sweep(interview + dt.timedelta(days=1)) == 1
    assert follow_ups() == [(str(rental.pk), "")]


def test_asked_once_more_after_seven_days_then_never_again(rental):
    interview = rental.interview_date
    for days in range(1, 8):
        sweep(interview + dt.timedelta(days=days))
    assert follow_ups() == [(str(rental.pk), "")]
    assert sweep(interview + dt.timedelta(days=8)) == 1
    assert sweep(interview + dt.timedelta(days=9)) == 0
    assert sweep(interview + dt.timedelta(days=30)) == 0
    assert follow_ups() == [(str(rental.pk), ""), (str(rental.pk), "again")]


def test_not_asked_again_once_answered(rental, resident):
    interview = rental.interview_date
    sweep(interview + dt.timedelta(days=1))
    services.answer_follow_up(rental=rental, outcome="got_job", by=resident, now=NOW)
    assert sweep(interview + dt.timedelta(days=8)) == 0


def test_the_notice_links_to_the_signed_answer_page(rental):
    from sharing_city.notifications.kinds import get_kind as get

    sweep(rental.interview_date + dt.timedelta(days=1))
    notice = Notice.objects.get(kind="closet_follow_up")
    link = get("closet_follow_up").link(notice)
    assert link.startswith("/closet/outcome/")
    assert outcomes.rental_for(link.rstrip("/").rsplit("/", 1)[1]) == rental


def test_the_signed_link_answers_without_signing_in(client, rental, resident):
    url = outcomes.answer_path(rental)

    page = client.get(url)
    assert page.status_code == 200 and "got_job" in page.content.decode()

    response = client.post(url, {"outcome": "got_job"})

    assert response.status_code == 302
    rental.refresh_from_db()
    assert rental.outcome == "got_job" and rental.outcome_at is not None
    event = ClosetEvent.objects.get(action="outcome")
    assert event.actor == resident and event.rental == rental


def test_answering_twice_through_the_link_records_once(client, rental):
    url = outcomes.answer_path(rental)
    client.post(url, {"outcome": "no"})
    client.post(url, {"outcome": "no"})
    assert ClosetEvent.objects.filter(action="outcome").count() == 1


@pytest.mark.parametrize("token", ["nonsense", "1:abc:def"])
def test_a_forged_link_is_refused_and_changes_nothing(client, rental, token):
    response = client.post(reverse("closets:outcome-answer", args=[token]), {"outcome": "got_job"})
    assert response.status_code == 400
    rental.refresh_from_db()
    assert rental.outcome == ""


def test_a_link_signed_for_another_purpose_is_refused(client, rental):
    token = signing.dumps(rental.pk, salt="something-else")
    response = client.post(reverse("closets:outcome-answer", args=[token]), {"outcome": "got_job"})
    assert response.status_code == 400
    assert Rental.objects.get(pk=rental.pk).outcome == ""


def test_an_expired_link_is_refused(client, rental, settings):
    url = outcomes.answer_path(rental)
    settings.CLOSET_OUTCOME_LINK_DAYS = -1
    response = client.post(url, {"outcome": "got_job"})
    assert response.status_code == 400
    assert Rental.objects.get(pk=rental.pk).outcome == ""


def test_an_unknown_answer_is_refused(client, rental):
    response = client.post(outcomes.answer_path(rental), {"outcome": "maybe"})
    assert response.status_code == 400
    assert Rental.objects.get(pk=rental.pk).outcome == ""


def test_a_coach_sees_the_outcome_of_their_own_sessions_only(
    client, resident, make_member, closet, slot, make_garment, paid_programme, closet_volunteer
):
    from closets.models import Coach, CoachingSession

    from .conftest import local as at_local

    coach = Coach.objects.create(user=make_member("coach", role="volunteer"), skills=["cv"])
    other = Coach.objects.create(user=make_member("other_coach", role="volunteer"), skills=["cv"])
    session = CoachingSession.objects.create(
        coach=coach,
        place=closet,
        starts_at=at_local(TODAY + dt.timedelta(days=2), 10, 30),
        skill="cv",
        mode="video",
    )
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        interview_date=TODAY + dt.timedelta(days=3),
    )
    visit = services.book_fitting(
        member=resident, slot=slot, coaching=session, by=resident, now=NOW
    )
    rental = services.rent_outfit(
        member=resident,
        garments=[make_garment("jacket", bust=96)],
        programme=paid_programme,
        place=closet,
        visit=visit,
        by=closet_volunteer,
        now=NOW,
    )
    services.answer_follow_up(rental=rental, outcome="got_job", by=resident, now=NOW)

    client.force_login(coach.user)
    page = client.get(reverse("closets:coach"))
    assert page.status_code == 200
    assert "면접 결과: 합격했어요" in page.content.decode()
    assert page.context["sessions"][0].visit.rental.outcome == "got_job"

    client.force_login(other.user)
    page = client.get(reverse("closets:coach"))
    assert page.status_code == 200 and page.context["sessions"] == []
