"""The API's write paths for a coordinator, and staff editing the commute table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from homeshare.models import CommuteTime, Match
from homeshare.selectors import commute_table

from .conftest import HOST_ADDRESS

pytestmark = pytest.mark.django_db


def test_coordinator_runs_matching_and_proposes_by_api(
    client, coordinator, host_app, student_app, today
):
    client.force_login(coordinator)

    run = client.post(
        reverse("api:homeshare-runs"),
        {
            "district": "11440",
            "term_start": today.isoformat(),
            "term_end": (today + timedelta(days=200)).isoformat(),
        },
        content_type="application/json",
    )
    candidate = run.json()["candidates"][0]
    proposed = client.post(reverse("api:homeshare-propose", args=[candidate["id"]]))

    assert run.status_code == 201 and candidate["suggested"] is True
    assert candidate["reasons"]
    assert proposed.status_code == 201
    assert proposed.json()["host_contact"]["address"] == HOST_ADDRESS  # coordinator sees it
    assert Match.objects.get().status == "proposed"


def test_api_answer_with_a_bad_body_is_400_and_changes_nothing(client, proposed, student_app):
    client.force_login(student_app.applicant)

    response = client.post(
        reverse("api:homeshare-respond", args=[proposed.pk]),
        {"accept": "perhaps"},
        content_type="application/json",
    )

    assert response.status_code == 400
    proposed.refresh_from_db()
    assert proposed.student_response == "pending"


def test_api_decline_without_reason_is_refused_with_the_reason(client, proposed, student_app):
    client.force_login(student_app.applicant)

    response = client.post(
        reverse("api:homeshare-respond", args=[proposed.pk]),
        {"accept": False},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "match_refused"


def test_staff_correct_a_commute_time_and_matching_uses_it(client, staff, commute):
    row = CommuteTime.objects.get(district__code="11440", university=commute)
    client.force_login(staff)

    page = client.get(reverse("homeshare:commute"), {"university": commute.pk})
    response = client.post(reverse("homeshare:commute"), {"row": row.pk, "minutes": 33})

    assert page.status_code == 200
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.minutes == 33 and row.updated_by == staff
    assert commute_table()[("11440", "yonsei")] == 33


def test_residents_and_coordinators_cannot_edit_commute_times(
    client, resident, coordinator, commute
):
    row = CommuteTime.objects.get(district__code="11440", university=commute)
    before = row.minutes
    for user in (resident, coordinator):
        client.force_login(user)
        assert (
            client.post(reverse("homeshare:commute"), {"row": row.pk, "minutes": 5}).status_code
            == 403
        )
    row.refresh_from_db()
    assert row.minutes == before


def test_shipped_commute_table_covers_every_district_and_university(commute):
    table = commute_table("seoul")

    assert len(table) == 25 * 12
    assert all(5 <= minutes <= 120 for minutes in table.values())


def test_staff_correct_a_commute_time_by_api_and_matching_uses_it(client, staff, commute):
    from homeshare.models import Event

    row = CommuteTime.objects.get(district__code="11440", university=commute)
    client.force_login(staff)

    response = client.post(
        reverse("api:homeshare-commute", args=[row.pk]),
        {"minutes": 33},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["minutes"] == 33 and response.json()["district"] == "11440"
    row.refresh_from_db()
    assert row.minutes == 33 and row.updated_by == staff
    assert commute_table()[("11440", "yonsei")] == 33
    assert Event.objects.filter(action="commute_updated", data__id=row.pk).count() == 1


def test_a_commute_time_out_of_range_is_refused_by_api_with_the_forms_message(
    client, staff, commute
):
    row = CommuteTime.objects.get(district__code="11440", university=commute)
    before = row.minutes
    staff.preferred_language = "en"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)

    too_long = client.post(
        reverse("api:homeshare-commute", args=[row.pk]),
        {"minutes": 301},
        content_type="application/json",
    )
    not_a_number = client.post(
        reverse("api:homeshare-commute", args=[row.pk]),
        {"minutes": "soon"},
        content_type="application/json",
    )

    assert too_long.status_code == 400
    assert too_long.json()["detail"]["minutes"] == [
        "Ensure this value is less than or equal to 300."
    ]
    assert not_a_number.status_code == 400 and not_a_number.json()["code"] == "invalid"
    row.refresh_from_db()
    assert row.minutes == before


def test_residents_and_coordinators_cannot_edit_commute_times_by_api(
    client, resident, coordinator, commute
):
    row = CommuteTime.objects.get(district__code="11440", university=commute)
    before = row.minutes
    answers = []
    for user in (resident, coordinator):
        client.force_login(user)
        answers.append(
            client.post(
                reverse("api:homeshare-commute", args=[row.pk]),
                {"minutes": 5},
                content_type="application/json",
            ).status_code
        )

    assert answers == [403, 403]
    row.refresh_from_db()
    assert row.minutes == before
