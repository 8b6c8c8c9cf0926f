"""The desk's other writes through the API (parity with the pages): repair tickets, retiring an
item, a member's safety briefing and ID check; refused at other places, 400 on bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from lending.models import Briefing, Event, Item, TitlePhoto
from lending.tests.factories import CategoryFactory, RuleFactory
from tool_centres.models import RepairTicket

pytestmark = pytest.mark.django_db


def url(name, place, *args):
    return reverse(f"api:tool-centres-{name}", args=[place.slug, *args])


def test_a_ticket_is_opened_started_and_closed_and_the_item_comes_back(api, tool_centre, drill):
    opened = api.post(
        url("open-ticket", tool_centre),
        {"code": drill.code, "problem": "needs_repair", "note": "Chuck wobbles"},
        format="json",
    )

    assert opened.status_code == 201
    ticket = RepairTicket.objects.get(pk=opened.json()["id"])
    assert ticket.note == "Chuck wobbles"
    drill.refresh_from_db()
    assert drill.status == Item.Status.MAINTENANCE

    unknown = api.post(url("ticket-action", tool_centre, ticket.pk, "mend"))
    started = api.post(url("ticket-action", tool_centre, ticket.pk, "start"))
    refused = api.post(url("ticket-action", tool_centre, ticket.pk, "close"), {}, format="json")
    closed = api.post(
        url("ticket-action", tool_centre, ticket.pk, "close"),
        {"outcome": "resolved", "resolution": "New chuck"},
        format="json",
    )

    assert unknown.status_code == 404
    assert started.status_code == 200 and started.json()["status"] == "repairing"
    assert refused.status_code == 400 and "outcome" in refused.json()["detail"]
    assert closed.status_code == 200 and closed.json()["status"] == "resolved"
    drill.refresh_from_db()
    assert drill.status == Item.Status.ACTIVE


def test_a_field_called_code_keeps_the_error_shape(api, tool_centre):
    """The body's item `code` must not be taken for the error body's own `code`."""
    response = api.post(
        url("open-ticket", tool_centre),
        {"code": ["TC-1"], "problem": "needs_repair"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "code" in response.json()["detail"]


def test_retiring_needs_a_reason_and_takes_the_item_out(api, tool_centre, drill):
    refused = api.post(url("retire-item", tool_centre, drill.code), {}, format="json")
    retired = api.post(
        url("retire-item", tool_centre, drill.code), {"reason": "Motor burnt out"}, format="json"
    )

    assert refused.status_code == 400
    assert retired.status_code == 200
    drill.refresh_from_db()
    assert drill.status == Item.Status.RETIRED


def test_briefing_and_id_check_are_recorded_for_the_member_on_the_card(api, tool_centre, resident):
    saws = CategoryFactory(slug="saws", name_ko="톱", name_en="Saws")
    RuleFactory(category=saws, requires_briefing=True)
    number = resident.member_number

    briefed = api.post(url("briefing", tool_centre, number), {"category": saws.pk}, format="json")
    unchecked = api.post(
        url("verify", tool_centre, number),
        {"document": "passport", "address_matches": False},
        format="json",
    )
    verified = api.post(
        url("verify", tool_centre, number),
        {"document": "passport", "address_matches": True},
        format="json",
    )

    assert briefed.status_code == 200
    assert Briefing.objects.filter(member=resident, category=saws, place=tool_centre).exists()
    assert unchecked.status_code == 400 and "address_matches" in unchecked.json()["detail"]
    assert verified.status_code == 200
    resident.refresh_from_db()
    assert resident.is_verified
    unknown = api.post(url("verify", tool_centre, "SC-NOBODY"), {"document": "passport"})
    assert unknown.status_code == 404


def test_a_volunteer_elsewhere_is_refused_and_nothing_changes(
    volunteer_elsewhere, tool_centre, drill, resident
):
    client = APIClient()
    client.force_authenticate(volunteer_elsewhere)

    answers = [
        client.post(
            url("open-ticket", tool_centre),
            {"code": drill.code, "problem": "needs_repair"},
            format="json",
        ).status_code,
        client.post(
            url("retire-item", tool_centre, drill.code), {"reason": "x"}, format="json"
        ).status_code,
        client.post(
            url("verify", tool_centre, resident.member_number),
            {"document": "passport", "address_matches": True},
            format="json",
        ).status_code,
    ]

    assert answers == [403, 403, 403]
    drill.refresh_from_db()
    resident.refresh_from_db()
    assert drill.status == Item.Status.ACTIVE and not resident.is_verified
    assert not RepairTicket.objects.exists()


def test_editing_an_item_records_its_condition_and_refuses_a_wrong_one(api, tool_centre, drill):
    wrong = api.post(url("edit-item", tool_centre, drill.code), {"condition": "mint"})
    saved = api.post(
        url("edit-item", tool_centre, drill.code),
        {"condition": "fair", "note": "Scratched case"},
        format="json",
    )

    assert wrong.status_code == 400
    assert saved.status_code == 200
    drill.refresh_from_db()
    assert (drill.condition, drill.note) == ("fair", "Scratched case")


def test_an_item_is_moved_to_another_place_request_send_receive(
    api, volunteer_elsewhere, tool_centre, other_centre, drill
):
    from tool_centres.models import Transfer

    nowhere = api.post(
        url("transfers", tool_centre), {"code": drill.code, "to_place": "nowhere"}, format="json"
    )
    requested = api.post(
        url("transfers", tool_centre),
        {"code": drill.code, "to_place": other_centre.slug, "note": "For the workshop"},
        format="json",
    )

    assert nowhere.status_code == 400 and "to_place" in nowhere.json()["detail"]
    assert requested.status_code == 201
    pk = requested.json()["id"]
    assert api.post(url("transfer-action", tool_centre, pk, "send")).json()["status"] == (
        "in_transit"
    )
    receiving = APIClient()
    receiving.force_authenticate(volunteer_elsewhere)
    arrived = receiving.post(url("transfer-action", other_centre, pk, "receive"))

    assert arrived.status_code == 200 and arrived.json()["status"] == "arrived"
    drill.refresh_from_db()
    assert drill.place == other_centre
    assert Transfer.objects.get(pk=pk).note == "For the workshop"


def test_the_day_is_closed_by_one_volunteer_and_checked_by_another(api, make_member, tool_centre):
    from lending.tests.factories import assign

    far = api.post(
        url("close-day", tool_centre), {"day": "1900-01-01", "counted": 0}, format="json"
    )
    ahead = api.post(
        url("close-day", tool_centre), {"day": "2999-01-01", "counted": 0}, format="json"
    )
    closed = api.post(url("close-day", tool_centre), {"counted": 0}, format="json")
    own_check = api.post(url("check-close-out", tool_centre), {}, format="json")
    second = make_member("second_volunteer", role="volunteer")
    assign(second, tool_centre)
    other = APIClient()
    other.force_authenticate(second)
    checked = other.post(url("check-close-out", tool_centre), {}, format="json")

    assert far.status_code == 400 and "day" in far.json()["detail"]
    assert ahead.status_code == 400 and "day" in ahead.json()["detail"]
    assert closed.status_code == 201 and closed.json()["expected"] == "0"
    assert own_check.status_code == 403  # never the one who closed it
    assert checked.status_code == 200 and checked.json()["checked_at"]


def test_adding_a_copy_of_a_title_the_place_lends_puts_it_on_the_shelf(
    api, tool_centre, drill, drill_title
):
    added = api.post(
        url("add-item", tool_centre),
        {"code": "tc-0500", "title": drill_title.pk, "condition": "fair", "note": "Boxed"},
        format="json",
    )

    assert added.status_code == 201
    assert added.json()["code"] == "TC-0500" and added.json()["title"] == drill_title.pk
    item = Item.objects.get(code="TC-0500")
    assert (item.place, item.title, item.condition, item.note) == (
        tool_centre,
        drill_title,
        "fair",
        "Boxed",
    )
    assert Event.objects.filter(item=item, action="status").count() == 1


def test_adding_a_new_thing_with_its_photo_over_multipart(
    api, tool_centre, drills, settings, tmp_path
):
    from lending.tests.test_photos import image_file

    settings.MEDIA_ROOT = tmp_path

    added = api.post(
        url("add-item", tool_centre),
        {
            "code": "TC-0700",
            "new_name_ko": "임팩트 드라이버",
            "new_name_en": "Impact driver",
            "category": drills.pk,
            "photo": image_file(),
        },
        format="multipart",
    )

    assert added.status_code == 201
    item = Item.objects.select_related("title").get(code="TC-0700")
    assert item.title.name_en == "Impact driver" and item.title.category == drills
    assert item.condition == Item.Condition.GOOD
    assert TitlePhoto.objects.filter(title=item.title).count() == 1


def test_adding_refuses_what_the_inventory_form_refuses_and_adds_nothing(
    api, tool_centre, drill, drills
):
    nothing_named = api.post(
        url("add-item", tool_centre),
        {"code": "TC-0800", "category": drills.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    bad_code = api.post(
        url("add-item", tool_centre),
        {"code": "no spaces!", "title": drill.title_id},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    not_a_photo = api.post(
        url("add-item", tool_centre),
        {
            "code": "TC-0801",
            "title": drill.title_id,
            "photo": SimpleUploadedFile("x.jpg", b"just some words", "image/jpeg"),
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    wrong_types = api.post(
        url("add-item", tool_centre), {"code": ["x"], "title": "a"}, format="json"
    )

    assert nothing_named.status_code == 400
    assert nothing_named.json()["detail"]["__all__"] == [
        "Choose what it is a copy of, or give a new Korean name and a category."
    ]
    assert bad_code.status_code == 400 and bad_code.json()["code"] == "item_invalid"
    assert not_a_photo.status_code == 400
    assert not_a_photo.json()["detail"]["photo"] == [
        "This file is not a photo we can read. Use JPEG, PNG or WebP."
    ]
    assert wrong_types.status_code == 400 and wrong_types.json()["code"] == "invalid"
    assert list(Item.objects.values_list("code", flat=True)) == [drill.code]


def test_adding_at_another_place_is_refused(volunteer_elsewhere, tool_centre, drill):
    client = APIClient()
    client.force_authenticate(volunteer_elsewhere)

    response = client.post(
        url("add-item", tool_centre), {"code": "TC-0900", "title": drill.title_id}, format="json"
    )

    assert response.status_code == 403
    assert not Item.objects.filter(code="TC-0900").exists()


def test_the_receipt_is_emailed_to_the_member_in_their_language(
    api, volunteer, tool_centre, resident, drill, second_drill
):
    from django.core import mail

    from lending import services as lending

    loans = [
        lending.check_out(item=item, member=resident, by=volunteer).pk
        for item in (drill, second_drill)
    ]

    response = api.post(url("receipt-email", tool_centre), {"loans": loans}, format="json")

    assert response.status_code == 200
    assert response.json() == {"sent": True, "loans": sorted(loans)}
    (sent,) = mail.outbox
    assert sent.to == [resident.email]
    assert drill.code in sent.body and second_drill.code in sent.body
    assert "반납 기한" in sent.body  # the resident reads Korean


def test_a_receipt_is_refused_for_two_members_or_a_loan_of_another_place(
    api,
    volunteer,
    volunteer_elsewhere,
    tool_centre,
    resident,
    other_resident,
    drill,
    second_drill,
    elsewhere_drill,
):
    from django.core import mail

    from lending import services as lending

    mine = lending.check_out(item=drill, member=resident, by=volunteer).pk
    theirs = lending.check_out(item=second_drill, member=other_resident, by=volunteer).pk
    away = lending.check_out(item=elsewhere_drill, member=resident, by=volunteer_elsewhere).pk

    two = api.post(
        url("receipt-email", tool_centre),
        {"loans": [mine, theirs]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    other_place = api.post(
        url("receipt-email", tool_centre), {"loans": [mine, away]}, format="json"
    )
    empty = api.post(url("receipt-email", tool_centre), {"loans": []}, format="json")

    assert two.status_code == 400 and two.json() == {
        "code": "receipt_one_member",
        "detail": "A receipt lists the loans of one member: send one for each.",
    }
    assert other_place.status_code == 404
    assert empty.status_code == 400 and "loans" in empty.json()["detail"]
    assert mail.outbox == []


@pytest.mark.parametrize("bad", [0, -3, 2**63, 31152966004315080534435823616])
def test_a_receipt_for_a_loan_number_no_loan_can_have_is_refused(api, volunteer, tool_centre, bad):
    """Schemathesis sent 3.1e28 and got a 500 (SQLite cannot bind it): refused as input."""
    response = api.post(
        url("receipt-email", tool_centre),
        {"loans": [bad]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "loans" in response.json()["detail"]


def test_a_receipt_is_refused_to_a_volunteer_elsewhere(
    volunteer, volunteer_elsewhere, tool_centre, resident, drill
):
    from django.core import mail

    from lending import services as lending

    loan = lending.check_out(item=drill, member=resident, by=volunteer).pk
    client = APIClient()
    client.force_authenticate(volunteer_elsewhere)

    response = client.post(url("receipt-email", tool_centre), {"loans": [loan]}, format="json")

    assert response.status_code == 403
    assert mail.outbox == []
