"""Typed values at the closet stay within bounds, and a saved extreme never breaks a page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closets import services
from closets.models import FittingSlot, RenterProfile

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _profile(member, interview_date):
    return RenterProfile.objects.create(
        member=member,
        style="men",
        height=175,
        weight=70,
        bust=96,
        interview_date=interview_date,
    )


def test_suggestions_and_the_desk_visit_page_render_after_an_interview_on_9999_12_31(
    client, resident, closet, closet_volunteer, today, make_garment
):
    make_garment("jacket", bust=97)
    _profile(resident, dt.date.max)
    slot = FittingSlot.objects.create(
        place=closet, starts_at=local(today + dt.timedelta(days=2), 10), capacity=2
    )
    visit = services.book_fitting(member=resident, slot=slot, by=resident)

    client.force_login(resident)
    suggestions = client.get(reverse("closets:suggestions"))
    client.force_login(closet_volunteer)
    desk = client.get(reverse("closets:desk-visit", args=[visit.pk]))

    assert suggestions.status_code == 200
    assert desk.status_code == 200


@pytest.mark.parametrize(
    ("offset", "accepted"), [(0, True), (366, True), (367, False), (-400, False)]
)
def test_the_profile_form_keeps_the_interview_within_a_year(
    client, resident, closet, today, offset, accepted
):
    client.force_login(resident)
    data = {
        "style": "men",
        "height": "175",
        "weight": "70",
        "purpose": "interview",
        "interview_date": (today + dt.timedelta(days=offset)).isoformat(),
    }

    response = client.post(reverse("closets:profile"), data)

    assert response.status_code == (302 if accepted else 400)
    if not accepted:
        assert "면접일이" in response.content.decode()
    assert RenterProfile.objects.filter(member=resident).exists() is accepted


def test_the_profile_form_refuses_year_9999_in_korean(client, resident, closet):
    client.force_login(resident)
    data = {"style": "men", "height": "175", "weight": "70", "purpose": "interview"}

    response = client.post(
        reverse("closets:profile"),
        {**data, "interview_date": "9999-12-31"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 400
    assert "면접일이 1년보다 더 뒤입니다" in response.content.decode()
    assert not RenterProfile.objects.exists()


def test_a_coaching_session_on_9999_12_31_is_refused(client, closet, make_member):
    from closets.models import Coach, CoachingSession

    coach = make_member("coach", role="volunteer")
    Coach.objects.create(user=coach, skills=["cv"])
    client.force_login(coach)
    data = {"offer": "1", "place": closet.pk, "skill": "cv", "mode": "video"}

    response = client.post(reverse("closets:coach"), {**data, "starts_at": "9999-12-31T10:00"})

    assert response.status_code == 400
    assert "1년보다 더 뒤입니다" in response.content.decode()
    assert not CoachingSession.objects.exists()
    assert client.get(reverse("closets:coach")).status_code == 200
