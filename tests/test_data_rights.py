"""Personal data rights (issue 20): the export is complete and tells nobody else's secrets."""

# ruff: noqa: F811 - fixtures imported from tests.personas
from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from closets.models import Donation, RenterProfile, ThankYouLetter
from conftest import PASSWORD
from lending.models import DepositEntry, Tip, TipMark, TitleList
from sharing_city.accounts import rights
from sharing_city.notifications.models import Notice
from tests.personas import (  # noqa: F401 - fixtures
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)

pytestmark = pytest.mark.django_db


def test_export_answers_for_every_foreign_key_to_a_member():
    assert rights.unanswered_fields() == []


def test_export_completeness_check_fails_for_a_table_nobody_covers(monkeypatch):
    sections = {k: v for k, v in rights._SECTIONS.items() if k != "lending.loans"}
    monkeypatch.setattr(rights, "_SECTIONS", sections)
    assert rights.unanswered_fields() == ["lending.Loan.member"]


def _enrich(world: World) -> None:
    """Rows the shared world lacks: a deposit, measurements, a letter, a notice."""
    resident = world.users["resident"]
    DepositEntry.objects.create(
        loan=world.loan,
        place=world.tool_centre,
        member=resident,
        kind="collected",
        amount=20_000,
        at=world.loan.checked_out_at,
        by=world.users["volunteer"],
    )
    RenterProfile.objects.create(
        member=resident,
        style="men",
        height=177,
        weight=70,
        waist=81,
        interview_date=world.loan.due_date,
        updated_at=world.loan.checked_out_at,
    )
    donation = Donation.objects.create(
        donor=world.users["staff"],
        place=world.closet,
        letter="기증자의 편지",
        created_at=world.loan.checked_out_at,
    )
    ThankYouLetter.objects.create(
        rental=world.rental,
        donation=donation,
        text="고맙습니다, 합격했어요",
        written_at=world.loan.checked_out_at,
    )
    Notice.objects.create(
        recipient=resident,
        subject_type="loan",
        subject_id=world.loan.pk,
        kind="reminder",
        step="due",
        channel="email",
        title="반납 예정 안내",
        context={},
        message_id="<t@example.org>",
        created_at=world.loan.checked_out_at,
        next_attempt_at=world.loan.checked_out_at,
    )
    title, at = world.loan.item.title, world.loan.checked_out_at
    Tip.objects.create(
        title=title, author=resident, place=world.tool_centre, text="배터리 두 개", created_at=at
    )
    theirs = Tip.objects.create(
        title=title, author=world.users["staff"], place=world.tool_centre, text="x", created_at=at
    )
    TipMark.objects.create(tip=theirs, member=resident, kind="helpful", created_at=at)
    TitleList.objects.create(owner=resident, name="욕실 공사", created_at=at).titles.add(title)


def test_export_holds_the_members_rows_in_every_programme(world: World):
    _enrich(world)
    client = world.client("resident")
    response = client.get("/api/v1/accounts/me/export/")
    assert response.status_code == 200
    data = response.json()
    s = data["sections"]
    assert data["member"]["email"] == world.users["resident"].email
    assert [r["item"] for r in s["lending.loans"]] == [world.loan.item.code]
    assert [r["id"] for r in s["lending.bookings"]] == [world.booking.pk]
    assert [r["amount"] for r in s["lending.deposits"]] == [20_000]
    assert s["closets.measurements"][0]["waist"] == 81
    assert [r["id"] for r in s["closets.fittings"]] == [world.visit.pk]
    assert [r["id"] for r in s["closets.rentals"]] == [world.rental.pk]
    assert s["closets.letters"][0]["text"] == "고맙습니다, 합격했어요"
    assert s["homeshare.applications"][0]["address"] == "마포구 어딘가 1"
    assert [r["id"] for r in s["homeshare.matches"]] == [world.match.pk]
    assert [r["id"] for r in s["homeshare.agreements"]] == [world.agreement.pk]
    assert s["notifications.notices"][0]["title"] == "반납 예정 안내"
    assert s["lending.events"], "the check-out's event"
    assert [r["text"] for r in s["lending.tips"]] == ["배터리 두 개"]
    assert [r["kind"] for r in s["lending.tip_marks"]] == ["helpful"]
    assert s["lending.lists"] == [
        {
            "name": "욕실 공사",
            "created_at": s["lending.lists"][0]["created_at"],
            "titles": [str(world.loan.item.title)],
        }
    ]


def test_export_json_download_and_readable_page_match_the_api(world: World):
    client = world.client("resident")
    download = client.get(reverse("accounts:my-data-json"))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    api = client.get("/api/v1/accounts/me/export/").json()
    assert json.loads(download.content)["sections"] == api["sections"]
    page = client.get(reverse("accounts:my-data"), HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.loan.item.code in html and "마포구 어딘가 1" in html


def _dump(world: World, persona: str) -> str:
    response = world.client(persona).get("/api/v1/accounts/me/export/")
    assert response.status_code == 200
    return json.dumps(response.json(), ensure_ascii=False)


def _quoted(*values: str) -> list[str]:
    # Whole JSON strings: "resident" is part of "other_resident" without being a leak.
    return [json.dumps(v, ensure_ascii=False) for v in values]


def test_export_leaks_nothing_about_the_other_side_or_the_desk(world: World):
    _enrich(world)
    host, student = world.users["resident"], world.users["other_resident"]
    host_dump, student_dump = _dump(world, "resident"), _dump(world, "other_resident")
    assert _quoted(host.email)[0] in host_dump and _quoted(student.email)[0] in student_dump
    for secret in _quoted(student.email, student.full_name, student.member_number, student.phone):
        assert secret not in host_dump
    # The student has an agreement with the host: still no name, address, phone or birth date.
    for secret in [
        *_quoted(host.email, host.full_name, host.member_number, host.phone),
        "마포구 어딘가 1",
        "01099990000",
        "+821099990000",
        "1955-01-02",
        "고맙습니다",
    ]:
        assert secret not in student_dump
    assert "기증자의 편지" not in host_dump  # the donor's letter is the donor's
    for name in ("volunteer", "coordinator", "staff"):
        desk = world.users[name]
        for secret in [*_quoted(desk.email, desk.full_name, desk.member_number), f"user:{desk.pk}"]:
            assert secret not in host_dump


def test_export_needs_a_signed_in_member(world: World):
    assert world.client("anonymous").get("/api/v1/accounts/me/export/").status_code == 403
    assert world.client("anonymous").get(reverse("accounts:my-data")).status_code == 302


# --- Closing an account ---------------------------------------------------------------------


def _settle(world: World) -> None:
    """The resident returns the drill and the suit, and the agreement ends: nothing is out."""
    from django.utils import timezone

    from closets.models import Rental
    from homeshare.models import Agreement
    from lending.services import check_in

    check_in(item=world.loan.item, by=world.users["volunteer"])
    Rental.objects.filter(pk=world.rental.pk).update(returned_at=timezone.now())
    Agreement.objects.filter(pk=world.agreement.pk).update(status="ended")


def test_anonymise_refused_with_every_reason_while_something_is_out(world: World):
    from homeshare.models import Agreement

    Agreement.objects.filter(pk=world.agreement.pk).update(status="active")
    client = world.client("resident")
    response = client.delete("/api/v1/accounts/me/")
    assert response.status_code == 409
    reasons = " ".join(response.json()["reasons"])
    assert "대출" in reasons and "대여" in reasons and "약정" in reasons  # Korean by default
    page = client.post(
        reverse("accounts:close-account"), {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert page.status_code == 409
    assert "대출" in page.content.decode()
    resident = world.users["resident"]
    resident.refresh_from_db()
    assert resident.is_active and resident.closed_at is None and resident.full_name


def test_anonymise_refused_while_a_deposit_is_held(world: World):
    _settle(world)
    DepositEntry.objects.create(
        loan=world.loan,
        place=world.tool_centre,
        member=world.users["resident"],
        kind="collected",
        amount=10_000,
        at=world.loan.checked_out_at,
        by=world.users["volunteer"],
    )
    response = world.client("resident").delete("/api/v1/accounts/me/")
    assert response.status_code == 409
    assert "보증금" in response.json()["detail"]


def _figures() -> list:
    import dataclasses
    import datetime as dt

    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from reports.figures import Scope, lending_figures
    from reports.programmes import programme_figures

    cache.clear()
    today = timezone.localdate()
    out: list[object] = []
    for district in (None, world_district_id()):
        scope = Scope(start=today - dt.timedelta(days=365), end=today, district_id=district)
        lending = dataclasses.asdict(lending_figures(scope, live=True))
        lending.pop("computed_at", None)
        out.append(lending)
        out.append([dataclasses.asdict(p) for p in programme_figures(scope)])
    rows = Client().get("/api/v1/reports/open-data/").json()
    out.append([{k: v for k, v in r.items() if k != "figures_as_of"} for r in rows])
    page = Client().get(reverse("reports:public"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"chart-\d+", "chart-n", main)  # the charts' ids count per process
    out.append(re.sub(r"\d{1,2}:\d{2}(:\d{2})?", "hh:mm", main))  # "figures as of" a time
    return out


def world_district_id() -> int:
    from sharing_city.accounts.models import District

    return District.objects.get(code="11440").pk  # Mapo-gu, the world's district


def test_anonymise_keeps_every_figure_and_forgets_the_person(world: World):
    _enrich(world)
    _settle(world)
    resident = world.users["resident"]
    old = {"email": resident.email, "name": resident.full_name, "phone": resident.phone}
    before = _figures()
    client = world.client("resident")
    response = client.delete("/api/v1/accounts/me/")
    assert response.status_code == 204
    assert _figures() == before
    resident.refresh_from_db()
    assert not resident.is_active and resident.closed_at is not None
    assert resident.full_name == "" and resident.phone == "" and resident.email != old["email"]
    assert not resident.has_usable_password()
    # Rows stay, anonymous; what identifies the person goes.
    assert resident.loans.count() == 1
    host_app = world.host_application
    host_app.refresh_from_db()
    assert (
        host_app.address == "" and host_app.contact_phone == "" and host_app.birth_date.month == 1
    )
    assert not RenterProfile.objects.filter(member=resident).exists()
    assert ThankYouLetter.objects.get(rental=world.rental).text == ""
    assert Notice.objects.get(recipient=resident).title == ""
    # Tips are the member's own words; lists and marks their own: gone, others' tips stay.
    assert list(Tip.objects.values_list("text", flat=True)) == ["x"]
    assert not TipMark.objects.exists() and not TitleList.objects.exists()
    from django.test import Client

    assert not Client().login(username=old["email"], password=PASSWORD)
    assert not Client().login(username="resident", password=PASSWORD)
    # Closing twice changes nothing and does not fail.
    from sharing_city.accounts.rights import close_account

    assert close_account(user=resident).closed_at == resident.closed_at


def test_anonymise_from_the_page_signs_out(world: World):
    _settle(world)
    client = world.client("resident")
    assert client.get(reverse("accounts:close-account")).status_code == 200
    assert client.post(reverse("accounts:close-account"), {}).status_code == 400
    response = client.post(reverse("accounts:close-account"), {"confirm": "yes"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302
    world.users["resident"].refresh_from_db()
    assert world.users["resident"].closed_at is not None
