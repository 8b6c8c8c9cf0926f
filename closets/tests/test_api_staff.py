"""The closet's staff and coaches through the API, as on their pages: a garment on the rail
(with a donor's letter), an advice session offered, a coach's notes; refused to others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from closets.models import Coach, CoachingSession, Donation, Garment

pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_put_a_donated_jacket_on_the_rail(closet, closet_volunteer, resident):
    api = api_as(closet_volunteer)
    url = reverse("api:closets-add-garment", args=[closet.slug])
    jacket = {"code": "J-0900", "kind": "jacket", "colour": "navy", "style": "men", "bust": 98}

    unknown_donor = api.post(
        url, {**jacket, "donor_email": "nobody@example.org", "letter": "Good luck!"}, format="json"
    )
    letter_only = api.post(url, {**jacket, "letter": "Good luck!"}, format="json")
    added = api.post(
        url, {**jacket, "donor_email": resident.email, "letter": "Good luck!"}, format="json"
    )

    assert unknown_donor.status_code == 400 and "donor_email" in unknown_donor.json()["detail"]
    assert letter_only.status_code == 400
    assert added.status_code == 201
    garment = Garment.objects.get(item__code="J-0900")
    assert garment.bust == 98
    assert Donation.objects.get(donor=resident).letter == "Good luck!"


def test_a_resident_cannot_put_garments_on_the_rail(closet, resident):
    response = api_as(resident).post(
        reverse("api:closets-add-garment", args=[closet.slug]),
        {"code": "J-0901", "kind": "jacket", "colour": "navy", "style": "men"},
        format="json",
    )

    assert response.status_code == 403
    assert not Garment.objects.exists()


def test_a_coach_offers_a_session_and_writes_notes_others_cannot(closet, make_member, resident):
    coach = make_member("coach", role="volunteer")
    Coach.objects.create(user=coach, skills=["cv"])
    when = timezone.localtime() + dt.timedelta(days=2)
    offer = {"place": closet.slug, "starts_at": when.isoformat(), "skill": "cv", "mode": "video"}

    refused = api_as(resident).post(reverse("api:closets-offer-session"), offer, format="json")
    offered = api_as(coach).post(reverse("api:closets-offer-session"), offer, format="json")

    assert refused.status_code == 403
    assert offered.status_code == 201
    session = CoachingSession.objects.get(pk=offered.json()["id"])
    notes_url = reverse("api:closets-session-notes", args=[session.pk])
    assert api_as(resident).post(notes_url, {"notes": "x"}, format="json").status_code == 403
    written = api_as(coach).post(notes_url, {"notes": "Lead with the project."}, format="json")
    assert written.status_code == 200
    session.refresh_from_db()
    assert session.notes == "Lead with the project."
