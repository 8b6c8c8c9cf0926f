"""Deposits at the desk and the place's cash book: the volunteer is told what to collect
before handing over and what to give back at check-in; keeping part needs a reason; each day
closes with a count that a second volunteer checks. The figures are compared with sums kept
by the test itself from the operations it performed."""

import csv
import datetime as dt
import io
import random
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lending import services as lending
from lending.models import DepositEntry, Event, LendingRule, Loan
from lending.tests.factories import ItemFactory, assign, at
from tool_centres import services
from tool_centres.models import CloseOut

pytestmark = pytest.mark.django_db
DEPOSIT = Decimal(30_000)


def url(name, place):
    return reverse(f"tool_centres:{name}", args=[place.slug])


def scan(client, place, code):
    return client.post(url("scan", place), {"code": code})


@pytest.fixture
def with_deposit(drills):
    LendingRule.objects.filter(category=drills).update(deposit=DEPOSIT)


@pytest.fixture
def second_volunteer(make_member, tool_centre):
    user = make_member("volunteer2", role="volunteer")
    assign(user, tool_centre)
    return user


def page(client, place, name="desk", **query):
    return client.get(url(name, place), query).content.decode()


def test_the_desk_says_what_to_collect_before_handing_over_and_records_it(
    desk_client, tool_centre, resident, drill, second_drill, with_deposit
):
    for code in (resident.member_number, drill.code, second_drill.code):
        scan(desk_client, tool_centre, code)

    assert "Collect a deposit of ₩60,000 before handing over." in page(desk_client, tool_centre)

    desk_client.post(url("check-out", tool_centre), {})

    entries = DepositEntry.objects.order_by("loan__item__code")
    assert [(e.kind, e.amount, e.loan.item.code) for e in entries] == [
        ("collected", DEPOSIT, "TC-0001"),
        ("collected", DEPOSIT, "TC-0002"),
    ]
    assert Event.objects.filter(action=Event.Action.DEPOSIT_COLLECTED).count() == 2


def test_korean_desk_shows_the_amount_as_korean_writes_it(
    client, volunteer, tool_centre, resident, drill, with_deposit
):
    volunteer.preferred_language = "ko"
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    for code in (resident.member_number, drill.code):
        scan(client, tool_centre, code)

    assert "30,000원" in page(client, tool_centre)


def test_check_in_gives_the_deposit_back_or_keeps_part_with_a_reason(
    desk_client, tool_centre, resident, drill, volunteer, with_deposit
):
    lending.check_out(item=drill, member=resident, by=volunteer)
    scan(desk_client, tool_centre, drill.code)
    assert "Deposit held: ₩30,000. Give it back at check-in." in page(desk_client, tool_centre)

    no_reason = desk_client.post(
        url("check-in", tool_centre),
        {"code": drill.code, "condition": "damaged", "deposit_kept": "10000"},
    )
    assert no_reason.status_code == 400
    assert "Give a reason" in no_reason.content.decode()
    assert Loan.objects.open().filter(item=drill).exists()

    too_much = desk_client.post(
        url("check-in", tool_centre),
        {
            "code": drill.code,
            "condition": "damaged",
            "deposit_kept": "40000",
            "deposit_reason": "x",
        },
    )
    assert too_much.status_code == 400
    assert "You can keep at most the deposit held: ₩30,000." in too_much.content.decode()

    desk_client.post(
        url("check-in", tool_centre),
        {
            "code": drill.code,
            "condition": "damaged",
            "deposit_kept": "10000",
            "deposit_reason": "Broken chuck",
        },
    )

    moves = dict(DepositEntry.objects.exclude(kind="collected").values_list("kind", "amount"))
    assert moves == {"kept": Decimal(10_000), "refunded": Decimal(20_000)}
    assert DepositEntry.objects.get(kind="kept").reason == "Broken chuck"
    shown = page(desk_client, tool_centre)
    assert "Give back the deposit: ₩20,000." in shown
    assert "Kept from the deposit: ₩10,000" in shown


def test_a_lost_item_keeps_the_whole_deposit(resident, drill, volunteer, with_deposit):
    loan = lending.check_out(item=drill, member=resident, by=volunteer)

    lending.mark_lost(loan=loan, by=volunteer, reason="Not returned after 60 days")

    kept = DepositEntry.objects.get(kind="kept")
    assert kept.amount == DEPOSIT and kept.reason == "Not returned after 60 days"


def test_the_database_refuses_a_second_refund_of_one_deposit(
    resident, drill, volunteer, with_deposit
):
    loan = lending.check_out(item=drill, member=resident, by=volunteer)
    lending.check_in(item=drill, by=volunteer)

    with pytest.raises(IntegrityError), transaction.atomic():
        DepositEntry.objects.create(
            loan=loan,
            place=loan.place,
            member=resident,
            kind="refunded",
            amount=DEPOSIT,
            at=timezone.now(),
        )


def totals_on(html: str) -> dict[str, int]:
    found = re.findall(r'data-total="(\w+)">[+− ]*(?:₩)?([\d,]+)', html)
    return {name: int(amount.replace(",", "")) for name, amount in found}


def test_the_cash_book_matches_sums_kept_independently_over_three_days(
    desk_client, tool_centre, drill_title, make_member, volunteer, with_deposit
):
    """Random check-outs and check-ins (some keeping part) over three days; the page and the
    CSV of each day agree with what the test itself added up."""
    rng = random.Random(20261202)
    today = timezone.localdate()
    days = [today - dt.timedelta(days=2), today - dt.timedelta(days=1), today]
    items = [
        ItemFactory(code=f"TC-{100 + i:04d}", title=drill_title, place=tool_centre)
        for i in range(8)
    ]
    members = [make_member(f"borrower{i}") for i in range(8)]
    moves = {day: {"collected": 0, "refunded": 0, "kept": 0} for day in days}
    open_loans: list = []
    for day in days:
        for hour in (9, 11, 13, 15, 17):
            when = at(day, hour)
            if open_loans and rng.random() < 0.5:
                item = open_loans.pop(rng.randrange(len(open_loans)))
                keep = rng.choice([0, 0, 5_000, 30_000])
                lending.check_in(
                    item=item,
                    by=volunteer,
                    now=when,
                    deposit_kept=Decimal(keep),
                    deposit_reason="scratched" if keep else "",
                )
                moves[day]["kept"] += keep
                moves[day]["refunded"] += 30_000 - keep
            else:
                free = [i for i in items if i not in open_loans]
                item = rng.choice(free)
                member = members[items.index(item)]
                lending.check_out(item=item, member=member, by=volunteer, now=when)
                open_loans.append(item)
                moves[day]["collected"] += 30_000

    held = 0
    for day in days:
        want = dict(moves[day], held_before=held)
        held += want["collected"] - want["refunded"] - want["kept"]
        want["held_after"] = held

        shown = totals_on(page(desk_client, tool_centre, "cash", day=day.isoformat()))
        assert shown == want, day

        response = desk_client.get(url("cash-csv", tool_centre), {"day": day.isoformat()})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        figures = {row[0]: int(row[1]) for row in rows if len(row) == 2}
        assert figures == want, day
        lines = [row for row in rows if len(row) == 7][1:]
        for kind in ("collected", "refunded", "kept"):
            assert sum(int(r[2]) for r in lines if r[1] == kind) == want[kind]
    assert held == 30_000 * len(open_loans)


def test_closing_the_day_and_a_second_volunteer_checks_it(
    desk_client, client, tool_centre, resident, drill, volunteer, second_volunteer, with_deposit
):
    lending.check_out(item=drill, member=resident, by=volunteer)

    short = desk_client.post(url("close-day", tool_centre), {"counted": "25000"})
    assert short.status_code == 400
    assert "The count differs from the cash book: say why in the note." in short.content.decode()
    assert not CloseOut.objects.exists()

    desk_client.post(url("close-day", tool_centre), {"counted": "25000", "note": "₩5,000 short"})
    close_out = CloseOut.objects.get()
    assert (close_out.expected, close_out.counted, close_out.difference) == (
        DEPOSIT,
        Decimal(25_000),
        Decimal(-5_000),
    )
    again = desk_client.post(url("close-day", tool_centre), {"counted": "30000"})
    assert again.status_code == 409

    own = desk_client.post(url("check-close-out", tool_centre), {})
    assert own.status_code == 403
    assert "A second volunteer checks the close-out" in own.content.decode()

    second_volunteer.preferred_language = "en"
    second_volunteer.save(update_fields=["preferred_language"])
    client.force_login(second_volunteer)
    shown = page(client, tool_centre, "cash")
    assert "I counted it too: the close-out is right" in shown
    client.post(url("check-close-out", tool_centre), {})

    close_out.refresh_from_db()
    assert close_out.checked_by == second_volunteer
    assert f"Checked by {second_volunteer.full_name}." in page(client, tool_centre, "cash")


def test_the_database_refuses_a_close_out_checked_by_its_closer(tool_centre, volunteer):
    close_out = services.close_day(
        place=tool_centre, day=timezone.localdate(), counted=Decimal(0), by=volunteer
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CloseOut.objects.filter(pk=close_out.pk).update(checked_by=volunteer)


def test_a_reason_typed_like_a_formula_is_text_in_the_csv(
    desk_client, tool_centre, resident, drill, volunteer, with_deposit
):
    lending.check_out(item=drill, member=resident, by=volunteer)
    lending.check_in(item=drill, by=volunteer, deposit_kept=DEPOSIT, deposit_reason="=HYPERLINK(1)")

    body = desk_client.get(url("cash-csv", tool_centre)).content.decode("utf-8-sig")

    assert "'=HYPERLINK(1)" in body


def test_an_absurd_day_shows_today_and_a_day_ahead_is_not_closed(desk_client, tool_centre):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    for asked in ("0001-01-01", "9999-12-31", "nonsense", tomorrow.isoformat()):
        response = desk_client.get(url("cash", tool_centre), {"day": asked})
        assert response.status_code == 200, asked
        assert response.context["book"].day == today, asked
        shown = response.content.decode()
        assert f'<input type="hidden" name="day" value="{today.isoformat()}">' in shown, asked
        assert "Next day" not in shown, asked


def test_the_cash_page_reads_the_same_number_of_queries_for_a_busy_day(
    desk_client,
    tool_centre,
    drill_title,
    make_member,
    volunteer,
    with_deposit,
    django_assert_max_num_queries,
):
    def lend(n, start):
        for i in range(n):
            item = ItemFactory(code=f"TC-{start + i:04d}", title=drill_title, place=tool_centre)
            lending.check_out(item=item, member=make_member(f"m{start + i}"), by=volunteer)

    lend(1, 200)
    with django_assert_max_num_queries(12) as few:
        desk_client.get(url("cash", tool_centre))
    lend(10, 300)
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk_client.get(url("cash", tool_centre))
