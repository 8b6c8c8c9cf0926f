"""Voice services: owner, supporter, outsider; status, then database, then side effects."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sharing_city.notifications.models import Notice
from voice import services
from voice.exceptions import (
    AskClosed,
    AskTextInvalid,
    BadMerge,
    NotYourAsk,
    OwnAsk,
    ReasonNeeded,
    TitleNeeded,
)
from voice.models import Answer, Ask, MeToo, VoiceEvent

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 18, 10))


def _ask(by, **kw):
    kw.setdefault("kind", "item")
    kw.setdefault("text", "A tent for four people, please")
    return services.create_ask(by=by, now=NOW, **kw)


def test_ask_is_routed_to_the_items_place(resident, item):
    ask = _ask(resident, kind="problem", item=item)
    assert (ask.routed_place, ask.routed_district) == (item.place, item.place.district)
    assert VoiceEvent.objects.filter(ask=ask, action="asked").count() == 1


def test_ask_without_place_goes_to_the_askers_district(resident, mapo):
    ask = _ask(resident)
    assert ask.routed_place is None and ask.routed_district == mapo


def test_ask_refuses_empty_or_too_long_text_and_saves_nothing(resident):
    for text in ["   ", "x" * 1001]:
        with pytest.raises(AskTextInvalid):
            _ask(resident, text=text)
    assert Ask.objects.count() == 0


def test_database_refuses_a_decline_without_reason(resident, tool_centre):
    ask = _ask(resident, place=tool_centre)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ask.objects.filter(pk=ask.pk).update(
            status="declined", first_answered_at=NOW, closed_at=NOW
        )


def test_database_refuses_a_second_me_too_of_one_member(resident, other_resident, tool_centre):
    ask = _ask(resident, place=tool_centre)
    MeToo.objects.create(ask=ask, member=other_resident, created_at=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeToo.objects.create(ask=ask, member=other_resident, created_at=NOW)


def test_me_too_twice_is_harmless(resident, other_resident, tool_centre):
    ask = _ask(resident, place=tool_centre)
    first = services.me_too(ask=ask, by=other_resident, now=NOW)
    second = services.me_too(ask=ask, by=other_resident, now=NOW)
    assert first.pk == second.pk
    assert MeToo.objects.filter(ask=ask).count() == 1
    assert VoiceEvent.objects.filter(action="me_too").count() == 1


def test_me_too_on_own_ask_is_refused(resident, tool_centre):
    ask = _ask(resident, place=tool_centre)
    with pytest.raises(OwnAsk):
        services.me_too(ask=ask, by=resident)
    assert MeToo.objects.count() == 0


def test_answer_tells_asker_and_supporters_once_each(
    resident, other_resident, volunteer, tool_centre, django_capture_on_commit_callbacks
):
    ask = _ask(resident, place=tool_centre)
    services.me_too(ask=ask, by=other_resident, now=NOW)
    with django_capture_on_commit_callbacks(execute=False):
        reply = services.answer(ask=ask, by=volunteer, text="We will buy one", now=NOW)
    ask.refresh_from_db()
    assert ask.first_answered_at == NOW and ask.status == "open"
    assert Answer.objects.get().pk == reply.pk
    notified = Notice.objects.filter(
        subject_type="ask", subject_id=str(ask.pk), kind="voice_answered"
    )
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "other_resident",
        "resident",
    ]


def test_answer_by_a_volunteer_elsewhere_is_refused(resident, volunteer_elsewhere, tool_centre):
    ask = _ask(resident, place=tool_centre)
    with pytest.raises(NotYourAsk):
        services.answer(ask=ask, by=volunteer_elsewhere, text="No")
    ask.refresh_from_db()
    assert (
        ask.first_answered_at is None
        and Answer.objects.count() == 0
        and Notice.objects.count() == 0
    )


def test_district_staff_and_city_admin_handle_district_asks(
    resident, staff, staff_elsewhere, city_admin
):
    ask = _ask(resident)
    services.answer(ask=ask, by=staff, text="Looking into it", now=NOW)
    services.answer(ask=ask, by=city_admin, text="And so is the city", now=NOW)
    with pytest.raises(NotYourAsk):
        services.answer(ask=ask, by=staff_elsewhere, text="x")
    assert Answer.objects.count() == 2


def test_set_status_needs_a_reason_and_changes_nothing_without(resident, staff, tool_centre):
    ask = _ask(resident, place=tool_centre)
    with pytest.raises(ReasonNeeded):
        services.set_status(ask=ask, by=staff, status="planned", reason=" ")
    ask.refresh_from_db()
    assert ask.status == "open" and ask.first_answered_at is None


def test_set_status_twice_is_harmless(resident, other_resident, staff, tool_centre):
    ask = _ask(resident, place=tool_centre)
    services.me_too(ask=ask, by=other_resident, now=NOW)
    later = NOW + dt.timedelta(days=2)
    services.set_status(ask=ask, by=staff, status="planned", reason="Budget in January", now=later)
    services.set_status(ask=ask, by=staff, status="planned", reason="Budget in January", now=later)
    ask.refresh_from_db()
    assert (ask.status, ask.first_answered_at, ask.closed_at) == ("planned", later, None)
    assert VoiceEvent.objects.filter(action="status").count() == 1
    assert Notice.objects.filter(kind="voice_status").count() == 2  # asker and supporter


def test_acquired_needs_the_title_and_closes(resident, staff, tool_centre, title):
    ask = _ask(resident, place=tool_centre)
    with pytest.raises(TitleNeeded):
        services.set_status(ask=ask, by=staff, status="acquired", reason="Bought")
    services.set_status(ask=ask, by=staff, status="acquired", reason="Bought", title=title, now=NOW)
    ask.refresh_from_db()
    assert (ask.status, ask.title, ask.closed_at) == ("acquired", title, NOW)


def test_merge_moves_supporters_without_double_counting(
    make_member, resident, other_resident, staff, tool_centre
):
    third = make_member("third")
    target = _ask(resident, place=tool_centre)
    duplicate = _ask(other_resident, place=tool_centre, text="Tent please")
    services.me_too(ask=target, by=third, now=NOW)
    services.me_too(ask=duplicate, by=third, now=NOW)
    services.me_too(ask=duplicate, by=resident, now=NOW)  # the target's own asker
    services.merge(ask=duplicate, into=target, by=staff, now=NOW)
    services.merge(ask=duplicate, into=target, by=staff, now=NOW)  # twice: harmless
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", target)
    assert sorted(MeToo.objects.filter(ask=target).values_list("member__username", flat=True)) == [
        "other_resident",
        "third",
    ]
    assert MeToo.objects.filter(ask=duplicate).count() == 0
    with pytest.raises(AskClosed):
        services.answer(ask=duplicate, by=staff, text="x")


def test_merge_into_itself_or_a_merged_ask_is_refused(resident, other_resident, staff, tool_centre):
    one = _ask(resident, place=tool_centre)
    two = _ask(other_resident, place=tool_centre)
    with pytest.raises(BadMerge):
        services.merge(ask=one, into=one, by=staff)
    services.merge(ask=two, into=one, by=staff)
    with pytest.raises(BadMerge):
        services.merge(ask=one, into=two, by=staff)
    one.refresh_from_db()
    assert one.status == "open"


def test_acquired_offers_the_asker_and_supporters_a_hold(
    resident, other_resident, make_member, staff, item
):
    ask = _ask(resident, place=item.place)
    services.me_too(ask=ask, by=other_resident, now=NOW)
    with pytest.raises(services.NoHoldOffered):
        services.hold_acquired(ask=ask, by=resident)
    services.set_status(ask=ask, by=staff, status="acquired", reason="Bought", title=item.title)
    hold = services.hold_acquired(ask=ask, by=other_resident)
    again = services.hold_acquired(ask=ask, by=other_resident)  # twice: harmless
    assert hold.pk == again.pk and (hold.member, hold.title, hold.place) == (
        other_resident,
        item.title,
        item.place,
    )
    with pytest.raises(services.NoHoldOffered):
        services.hold_acquired(ask=ask, by=make_member("stranger"))


def test_closing_an_account_anonymises_its_asks_and_keeps_the_figures(
    resident, other_resident, staff, tool_centre
):
    from sharing_city.accounts.rights import close_account
    from voice.selectors import answer_figures

    ask = _ask(resident, place=tool_centre)
    services.me_too(ask=ask, by=other_resident, now=NOW)
    services.answer(ask=ask, by=staff, text="We will buy one in spring.", now=NOW)
    window = {"start": NOW.date() - dt.timedelta(days=30), "end": NOW.date() + dt.timedelta(days=1)}
    before = answer_figures(**window)

    close_account(user=resident)

    ask.refresh_from_db()
    assert ask.text == "—" and ask.asker_id == resident.pk
    assert MeToo.objects.filter(ask=ask).count() == 1
    assert answer_figures(**window) == before
