"""The desk pages: scan-first flows without JavaScript, refusals with a 4xx and nothing changed,
volunteers of other places refused everywhere, and flat query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lending import services as lending
from lending.models import Event, Item, Loan
from lending.tests.factories import ItemFactory, TitleFactory
from tool_centres import services
from tool_centres.models import RepairTicket, Transfer

pytestmark = pytest.mark.django_db


def url(name, place, *args):
    return reverse(f"tool_centres:{name}", args=[place.slug, *args])


def scan(client, place, code):
    return client.post(url("scan", place), {"code": code})


def test_scan_member_then_items_then_check_out(desk_client, tool_centre, resident, drill, sander):
    response = scan(desk_client, tool_centre, resident.member_number)
    assert response.status_code == 302
    scan(desk_client, tool_centre, "tc-0001")  # lower case from a phone keyboard
    scan(desk_client, tool_centre, sander.code)
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert resident.full_name in page and "TC-0001" in page and "TC-0100" in page

    response = desk_client.post(url("check-out", tool_centre), {})

    assert response.status_code == 302
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "2 items lent" in page
    assert Loan.objects.open().filter(member=resident).count() == 2
    receipt = desk_client.get(url("receipt", tool_centre)).content.decode()
    assert "TC-0001" in receipt and "TC-0100" in receipt


def test_refused_item_is_reported_and_stays_in_the_basket(
    desk_client, tool_centre, volunteer, resident, other_resident, drill, second_drill
):
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    scan(desk_client, tool_centre, second_drill.code)
    lending.check_out(item=second_drill, member=other_resident, by=volunteer)

    desk_client.post(url("check-out", tool_centre), {})

    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "Not lent" in page
    assert Loan.objects.open().get(item=second_drill).member == other_resident
    assert Loan.objects.open().get(item=drill).member == resident
    assert desk_client.session[f"desk:{tool_centre.pk}"]["basket"] == ["TC-0002"]


def test_find_member_by_phone_and_by_name(desk_client, tool_centre, resident):
    scan(desk_client, tool_centre, "010-1111-2222")
    assert desk_client.session[f"desk:{tool_centre.pk}"]["member"] == resident.pk
    desk_client.post(url("finish-member", tool_centre))
    scan(desk_client, tool_centre, "Resid")
    assert desk_client.session[f"desk:{tool_centre.pk}"]["member"] == resident.pk


def test_find_member_by_first_syllable_or_last_four_digits_asks_which(
    desk_client, tool_centre, make_member
):
    kim = make_member("kim", full_name="김민수", phone="010-2345-6789")
    make_member("other_kim", full_name="김지영", phone="01098761111")
    make_member("lee", full_name="이민김", phone="01055556789")

    by_syllable = scan(desk_client, tool_centre, "김")
    by_digits = scan(desk_client, tool_centre, "6789")

    names = [m.full_name for m in by_syllable.context["choices"]]
    assert names == ["김민수", "김지영"]  # names starting with it, not every name holding it
    assert [m.full_name for m in by_digits.context["choices"]] == ["김민수", "이민김"]
    assert not desk_client.session.get(f"desk:{tool_centre.pk}", {}).get("member")  # not chosen yet
    desk_client.post(url("choose-member", tool_centre, kim.member_number))
    assert desk_client.session[f"desk:{tool_centre.pk}"]["member"] == kim.pk


def test_unknown_code_is_a_404_with_a_translated_message_and_focus(
    desk_client, volunteer, tool_centre
):
    volunteer.preferred_language = "ko"
    volunteer.save(update_fields=["preferred_language"])

    response = desk_client.post(url("scan", tool_centre), {"code": "NOPE-1"})

    assert response.status_code == 404
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "“NOPE-1” 코드" in page
    assert "autofocus" in page


def test_item_of_another_place_is_refused(desk_client, tool_centre, resident, elsewhere_drill):
    scan(desk_client, tool_centre, resident.member_number)

    response = scan(desk_client, tool_centre, elsewhere_drill.code)

    assert response.status_code == 409
    assert "another place" in response.content.decode()
    assert desk_client.session[f"desk:{tool_centre.pk}"]["basket"] == []


def test_item_scanned_without_member_asks_for_the_card(desk_client, tool_centre, drill):
    response = scan(desk_client, tool_centre, drill.code)

    assert response.status_code == 400
    assert "card first" in response.content.decode()


def test_backdating_a_check_out_without_a_reason_is_refused(
    desk_client, tool_centre, resident, drill
):
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    earlier = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    response = desk_client.post(url("check-out", tool_centre), {"backdated_to": earlier})

    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert not Loan.objects.exists()
    assert not Event.objects.filter(action="check_out").exists()


def test_backdated_check_in_without_reason_is_refused(
    desk_client, tool_centre, volunteer, resident, drill
):
    lending.check_out(item=drill, member=resident, by=volunteer)
    earlier = (timezone.localtime() - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")

    response = desk_client.post(
        url("check-in", tool_centre),
        {"code": drill.code, "condition": "ok", "backdated_to": earlier},
    )

    assert response.status_code == 400
    assert Loan.objects.get(item=drill).returned_at is None


def test_scan_item_on_loan_then_check_in_damaged_opens_ticket(
    desk_client, tool_centre, volunteer, resident, drill
):
    lending.check_out(item=drill, member=resident, by=volunteer)
    scan(desk_client, tool_centre, drill.code)
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "Borrowed by" in page

    desk_client.post(
        url("check-in", tool_centre),
        {"code": drill.code, "condition": "damaged", "note": "Cracked case"},
    )

    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "Repair ticket" in page
    drill.refresh_from_db()
    assert drill.status == Item.Status.MAINTENANCE
    assert RepairTicket.objects.get(item=drill).note == "Cracked case"


def test_override_block_needs_reason_and_is_logged(
    desk_client, tool_centre, volunteer, resident, drill, second_drill
):
    old = timezone.now() - dt.timedelta(days=30)
    lending.check_out(
        item=second_drill,
        member=resident,
        by=volunteer,
        backdated_to=old,
        reason="test",
        now=timezone.now(),
    )
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    desk_client.post(url("check-out", tool_centre), {})
    assert not Loan.objects.open().filter(item=drill).exists()

    desk_client.post(
        url("check-out", tool_centre), {"override_block": "on", "reason": "Lead agreed"}
    )

    assert Loan.objects.open().filter(item=drill).exists()
    assert Event.objects.filter(action="override", reason="Lead agreed").exists()


def test_today_lists_and_renews_in_one_click(desk_client, tool_centre, volunteer, resident, drill):
    loan = lending.check_out(item=drill, member=resident, by=volunteer)
    Loan.objects.filter(pk=loan.pk).update(due_date=timezone.localdate())

    page = desk_client.get(url("today", tool_centre)).content.decode()
    assert "TC-0001" in page

    response = desk_client.post(url("renew", tool_centre, loan.pk))

    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.renewals == 1


def test_volunteer_home_links_to_the_desk(client, volunteer, tool_centre):
    client.force_login(volunteer)
    response = client.get(reverse("tool_centres:my-places"))
    assert response.status_code == 302
    assert response.url == url("desk", tool_centre)


def test_add_item_with_a_photo_and_refuse_a_fake_one(
    desk_client, tool_centre, drills, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("drill.jpg", buffer.getvalue(), content_type="image/jpeg")
    fake = SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")
    fields = {
        "code": "tc-0500",
        "new_name_ko": "임팩트 드라이버",
        "category": drills.pk,
        "condition": "good",
    }

    refused = desk_client.post(url("inventory", tool_centre), {**fields, "photo": fake})
    assert refused.status_code == 400
    assert not Item.objects.filter(code="TC-0500").exists()

    response = desk_client.post(url("inventory", tool_centre), {**fields, "photo": photo})

    assert response.status_code == 302
    item = Item.objects.get(code="TC-0500")
    assert item.place == tool_centre and item.title.photos.count() == 1


def test_labels_sheet_has_a_qr_per_item(desk_client, tool_centre, drill, sander):
    response = desk_client.get(url("labels", tool_centre), {"codes": "TC-0001 tc-0100"})

    page = response.content.decode()
    assert page.count("<svg") == 2
    assert "TC-0100" in page


# --- Volunteers of another place -----------------------------------------------------------


def test_every_desk_action_elsewhere_is_refused_and_changes_nothing(
    client, volunteer, volunteer_elsewhere, tool_centre, other_centre, resident, drill, second_drill
):
    loan = lending.check_out(item=second_drill, member=resident, by=volunteer)
    ticket = services.open_ticket(item=drill, by=volunteer)
    transfer = Transfer.objects.create(
        item=second_drill,
        from_place=tool_centre,
        to_place=other_centre,
        requested_at=timezone.now(),
    )
    client.force_login(volunteer_elsewhere)
    before = Event.objects.count()
    gets = ["desk", "today", "repairs", "inventory", "labels", "transfers", "receipt"]
    posts = [
        ("scan", {"code": drill.code}),
        ("check-out", {}),
        ("check-in", {"code": second_drill.code, "condition": "ok"}),
        ("finish-member", {}),
        ("repairs", {"code": drill.code, "problem": "damaged"}),
        ("inventory", {"code": "TC-9999", "title": drill.title_id, "condition": "good"}),
        ("transfers", {"code": drill.code, "to_place": other_centre.pk}),
    ]

    for name in gets:
        assert client.get(url(name, tool_centre)).status_code == 403, name
    for name, data in posts:
        assert client.post(url(name, tool_centre), data).status_code == 403, name
    assert client.post(url("renew", tool_centre, loan.pk)).status_code == 403
    assert (
        client.post(
            url("ticket-action", tool_centre, ticket.pk, "close"), {"outcome": "resolved"}
        ).status_code
        == 403
    )
    assert client.post(url("transfer-action", tool_centre, transfer.pk, "send")).status_code == 403
    assert (
        client.post(url("retire-item", tool_centre, drill.code), {"reason": "x"}).status_code == 403
    )
    assert (
        client.post(url("edit-item", tool_centre, drill.code), {"condition": "worn"}).status_code
        == 403
    )
    # Through their own desk, the other place's objects are not reachable either.
    assert client.post(url("renew", other_centre, loan.pk)).status_code == 404
    assert client.post(url("ticket-action", other_centre, ticket.pk, "start")).status_code == 404
    assert (
        client.post(url("transfer-action", other_centre, transfer.pk, "receive")).status_code == 302
    )
    assert (
        client.post(
            url("check-in", other_centre), {"code": second_drill.code, "condition": "ok"}
        ).status_code
        == 403
    )

    loan.refresh_from_db()
    ticket.refresh_from_db()
    transfer.refresh_from_db()
    drill.refresh_from_db()
    assert loan.returned_at is None and loan.renewals == 0
    assert ticket.status == RepairTicket.Status.OPEN
    assert transfer.status == Transfer.Status.REQUESTED
    assert drill.status == Item.Status.MAINTENANCE and drill.condition == "good"
    assert not Item.objects.filter(code="TC-9999").exists()
    assert Event.objects.count() == before


def test_district_staff_work_at_all_places_of_their_district(
    client, staff, staff_elsewhere, tool_centre
):
    client.force_login(staff)
    assert client.get(url("desk", tool_centre)).status_code == 200
    client.force_login(staff_elsewhere)
    assert client.get(url("desk", tool_centre)).status_code == 403


# --- Query counts -------------------------------------------------------------------------


def _loans(volunteer, tool_centre, member, n):
    title = TitleFactory()
    from lending.models import LendingRule

    LendingRule.objects.create(category=title.category, max_items_per_member=100)
    for i in range(n):
        item = ItemFactory(title=title, place=tool_centre)
        lending.check_out(item=item, member=member, by=volunteer)


@pytest.mark.parametrize("n", [1, 20])
def test_desk_page_queries_do_not_grow_with_loans(
    n, desk_client, volunteer, tool_centre, resident, django_assert_num_queries
):
    _loans(volunteer, tool_centre, resident, n)
    scan(desk_client, tool_centre, resident.member_number)

    # 7 + the access log row: SAVEPOINT, INSERT, RELEASE inside the test transaction (one
    # INSERT when the page runs in autocommit).
    with django_assert_num_queries(10):
        response = desk_client.get(url("desk", tool_centre))

    assert response.content.decode().count("due ") >= n


@pytest.mark.parametrize("n", [1, 20])
def test_today_page_queries_do_not_grow_with_loans(
    n, desk_client, volunteer, tool_centre, resident, django_assert_num_queries
):
    _loans(volunteer, tool_centre, resident, n)
    Loan.objects.update(due_date=timezone.localdate() - dt.timedelta(days=2))

    with django_assert_num_queries(9):
        response = desk_client.get(url("today", tool_centre))

    assert response.content.decode().count("Renew ") == n


def test_volunteer_home_lists_a_desk_link_per_place(client, volunteer, tool_centre):
    client.force_login(volunteer)

    page = client.get(reverse("accounts:volunteer-home")).content.decode()

    assert url("desk", tool_centre) in page


def test_briefing_recorded_at_the_desk_lets_the_item_be_lent(
    desk_client, tool_centre, resident, drill, drills
):
    from lending.models import Briefing

    drills.rules.update(requires_briefing=True)
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    desk_client.post(url("check-out", tool_centre), {})
    page = desk_client.get(url("desk", tool_centre)).content.decode()
    assert "safety briefing first" in page
    assert not Loan.objects.exists()

    desk_client.post(url("record-briefing", tool_centre), {"category": drills.pk})
    desk_client.post(url("check-out", tool_centre), {})

    assert Briefing.objects.filter(member=resident, category=drills).exists()
    assert Loan.objects.open().get(item=drill).member == resident


def test_receipt_by_email_in_the_members_language(desk_client, tool_centre, resident, drill):
    from django.core import mail

    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    desk_client.post(url("check-out", tool_centre), {})

    response = desk_client.post(url("receipt-email", tool_centre))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "TC-0001" in mail.outbox[0].body
    assert "반납 기한" in mail.outbox[0].body  # the resident reads Korean


def test_member_cards_sheet(desk_client, tool_centre, resident, other_resident):
    response = desk_client.get(
        url("cards", tool_centre), {"members": f"{resident.member_number}\nSC000000000"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 1
    assert resident.member_number in page and other_resident.member_number not in page


def test_transfer_pages_request_send_receive(
    client, volunteer, volunteer_elsewhere, tool_centre, other_centre, drill
):
    client.force_login(volunteer)
    client.post(url("transfers", tool_centre), {"code": drill.code, "to_place": other_centre.pk})
    transfer = Transfer.objects.get(item=drill)
    client.post(url("transfer-action", tool_centre, transfer.pk, "send"))
    client.force_login(volunteer_elsewhere)
    page = client.get(url("transfers", other_centre)).content.decode()
    assert "TC-0001" in page

    client.post(url("transfer-action", other_centre, transfer.pk, "receive"))

    transfer.refresh_from_db()
    drill.refresh_from_db()
    assert transfer.status == Transfer.Status.ARRIVED
    assert drill.place == other_centre and drill.status == Item.Status.ACTIVE


def test_ticket_pages_open_start_and_resolve(desk_client, tool_centre, drill):
    desk_client.post(url("repairs", tool_centre), {"code": "tc-0001", "problem": "needs_repair"})
    ticket = RepairTicket.objects.get(item=drill)
    desk_client.post(url("ticket-action", tool_centre, ticket.pk, "start"))
    refused = desk_client.post(
        url("ticket-action", tool_centre, ticket.pk, "close"), {"outcome": "retired"}
    )
    assert refused.status_code == 400

    desk_client.post(url("ticket-action", tool_centre, ticket.pk, "close"), {"outcome": "resolved"})

    ticket.refresh_from_db()
    drill.refresh_from_db()
    assert ticket.status == RepairTicket.Status.RESOLVED
    assert drill.status == Item.Status.ACTIVE


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan", {"code": "X" * 65}),
        ("check-in", {"code": "TC-0001", "condition": "exploded"}),
        ("check-out", {"backdated_to": "yesterday-ish", "reason": "x"}),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_changes_nothing(
    name, data, desk_client, tool_centre, volunteer, resident, drill, second_drill
):
    lending.check_out(item=second_drill, member=resident, by=volunteer)
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    before = Event.objects.count()

    response = desk_client.post(url(name, tool_centre), data)

    assert response.status_code == 400
    assert 'class="desk-error-text"' in response.content.decode()
    assert Event.objects.count() == before


def test_renewing_an_overdue_loan_is_refused_with_the_reason(
    desk_client, tool_centre, volunteer, resident, drill
):
    loan = lending.check_out(item=drill, member=resident, by=volunteer)
    Loan.objects.filter(pk=loan.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))

    response = desk_client.post(url("renew", tool_centre, loan.pk))

    assert response.status_code == 409
    assert "This loan is overdue" in response.content.decode()
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_needs_cleaning_keeps_the_item_out_until_marked_clean_on_today(
    desk_client, tool_centre, volunteer, resident, other_resident, drill
):
    lending.check_out(item=drill, member=resident, by=volunteer)
    later = timezone.localdate() + dt.timedelta(days=20)
    kept = lending.book(
        member=other_resident, by=other_resident, item=drill, start=later, end=later
    )

    desk_client.post(
        url("check-in", tool_centre), {"code": drill.code, "condition": "needs_cleaning"}
    )

    drill.refresh_from_db()
    ticket = RepairTicket.objects.get(item=drill)
    assert drill.status == Item.Status.MAINTENANCE and ticket.is_cleaning
    kept.refresh_from_db()
    assert kept.status == "requested" and kept.item_id == drill.pk  # cleaning keeps bookings
    assert "cleaning shelf" in desk_client.get(url("desk", tool_centre)).content.decode()
    scan(desk_client, tool_centre, resident.member_number)
    scan(desk_client, tool_centre, drill.code)
    assert "Being cleaned:" in desk_client.get(url("desk", tool_centre)).content.decode()
    desk_client.post(url("check-out", tool_centre), {})
    assert not Loan.objects.open().filter(item=drill).exists()

    today = desk_client.get(url("today", tool_centre)).content.decode()
    assert "Mark TC-0001 clean" in today
    response = desk_client.post(url("ticket-action", tool_centre, ticket.pk, "clean"))

    assert response.status_code == 302
    drill.refresh_from_db()
    assert drill.status == Item.Status.ACTIVE
    assert "Mark TC-0001 clean" not in desk_client.get(url("today", tool_centre)).content.decode()
    desk_client.post(url("check-out", tool_centre), {})
    assert Loan.objects.open().get(item=drill).member == resident


def test_repairs_page_names_the_problem_in_korean(desk_client, volunteer, tool_centre, drill):
    volunteer.preferred_language = "ko"
    volunteer.save(update_fields=["preferred_language"])
    services.open_ticket(item=drill, by=volunteer, problem="needs_repair", note="날이 무딤")

    page = desk_client.get(url("repairs", tool_centre)).content.decode()

    assert "수리 필요: 날이 무딤" in page
    assert "needs_repair" not in page.split("<main", 1)[1].split("<form", 1)[0]
