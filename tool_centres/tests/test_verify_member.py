"""Verify a member at the desk: the volunteer records which ID they saw; the block lifts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lending import services as lending
from lending.exceptions import NotAtYourPlace
from lending.models import Event, LendingRule, Loan

pytestmark = pytest.mark.django_db


def url(name, place, *args):
    return reverse(f"tool_centres:{name}", args=[place.slug, *args])


@pytest.fixture
def unverified(resident):
    resident.is_verified = False
    resident.save(update_fields=["is_verified"])
    return resident


@pytest.fixture
def verified_only(drills):
    LendingRule.objects.filter(category=drills).update(requires_verified_member=True)


def test_marking_verified_at_the_desk_records_who_saw_which_id_and_lifts_the_block(
    desk_client, volunteer, tool_centre, unverified, drill, verified_only
):
    desk_client.post(url("scan", tool_centre), {"code": unverified.member_number})
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "Not verified yet" in page and "Mark verified" in page

    response = desk_client.post(
        url("verify-member", tool_centre), {"document": "driving_licence", "address_matches": "on"}
    )

    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.is_verified
    event = Event.objects.get(action=Event.Action.VERIFY)
    assert (event.actor, event.member, event.place) == (volunteer, unverified, tool_centre)
    assert event.data == {"document": "driving_licence"}
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "is verified" in page and "Not verified yet" not in page
    desk_client.post(url("scan", tool_centre), {"code": drill.code})
    desk_client.post(url("check-out", tool_centre), {})
    assert Loan.objects.open().get(item=drill).member == unverified


def test_the_address_check_is_required_and_nothing_is_recorded_without_it(
    desk_client, tool_centre, unverified
):
    desk_client.post(url("scan", tool_centre), {"code": unverified.member_number})

    response = desk_client.post(url("verify-member", tool_centre), {"document": "passport"})

    assert response.status_code == 400
    assert "Check the address before marking the member verified." in response.content.decode()
    unverified.refresh_from_db()
    assert not unverified.is_verified
    assert not Event.objects.filter(action=Event.Action.VERIFY).exists()


def test_an_unknown_document_is_refused_with_a_message(desk_client, tool_centre, unverified):
    desk_client.post(url("scan", tool_centre), {"code": unverified.member_number})

    response = desk_client.post(
        url("verify-member", tool_centre), {"document": "library_card", "address_matches": "on"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    unverified.refresh_from_db()
    assert not unverified.is_verified


def test_verifying_twice_records_one_event(volunteer, tool_centre, unverified):
    first = lending.verify_member(
        member=unverified, document="passport", by=volunteer, place=tool_centre
    )
    again = lending.verify_member(
        member=unverified, document="resident_card", by=volunteer, place=tool_centre
    )

    assert (first, again) == (True, False)
    assert Event.objects.filter(action=Event.Action.VERIFY).count() == 1


def test_a_volunteer_of_another_place_cannot_verify_here(
    client, volunteer_elsewhere, tool_centre, unverified
):
    client.force_login(volunteer_elsewhere)

    response = client.post(
        url("verify-member", tool_centre), {"document": "passport", "address_matches": "on"}
    )

    assert response.status_code in (403, 404)
    unverified.refresh_from_db()
    assert not unverified.is_verified
    with pytest.raises(NotAtYourPlace):
        lending.verify_member(
            member=unverified, document="passport", by=volunteer_elsewhere, place=tool_centre
        )


def test_the_verify_form_reads_in_korean(client, volunteer, tool_centre, unverified):
    volunteer.preferred_language = "ko"
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    client.post(url("scan", tool_centre), {"code": unverified.member_number})

    with translation.override("ko"):
        page = client.get(url("desk", tool_centre)).content.decode()

    assert "본인 확인 완료로 표시" in page and "운전면허증" in page
