"""Voice workflows: ask, say "me too", answer, set a status, merge.

Each public function runs in one durable transaction, locks the ask rows it changes (in
primary-key order), refuses bad states with a named error, records a VoiceEvent, and makes
its notices inside the transaction (delivered after commit, so a rolled-back change tells
nobody and a committed one is never lost). Repeating a call a person would expect to be
harmless (a second "me too", the same status again, a merge already done) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lending import services as lending
from lending.models import Booking, Item, Place, Title
from sharing_city.core import bounds
from sharing_city.core.events import SYSTEM

from . import access, notices
from .exceptions import (
    AskClosed,
    AskTextInvalid,
    BadMerge,
    BadStatus,
    NoDistrict,
    NoHoldOffered,
    NotYourAsk,
    OwnAsk,
    ReasonNeeded,
    TitleNeeded,
)
from .models import CLOSED, NEEDS_REASON, Answer, Ask, Kind, MeToo, Status, VoiceEvent

# What staff may set by hand; merging has its own service.
SETTABLE = (Status.OPEN, Status.ANSWERED, Status.PLANNED, Status.ACQUIRED, Status.DECLINED)
# Closed for good: no more "me too" (an answered ask may still gather support).
FINAL = (Status.ACQUIRED, Status.DECLINED, Status.MERGED)


def _clean(text: str, high: int, error: type[Exception]) -> str:
    text = (text or "").strip()
    if not text or len(text) > high or "\x00" in text:
        raise error
    return text


def _event(action: str, ask: Ask, by: Any, now: dt.datetime, **data: Any) -> VoiceEvent:
    return VoiceEvent.objects.create(
        at=now,
        actor=by if by is not None else None,
        who="" if by is not None else SYSTEM,
        action=action,
        ask=ask,
        place=ask.routed_place,
        district=ask.routed_district,
        data=data,
    )


def _route(by: Any, place: Place | None, item: Item | None, booking: Booking | None) -> tuple:
    """item/booking -> its place; a place -> itself; otherwise the asker's district."""
    owner = (item.place if item else None) or (booking.place if booking else None) or place
    if owner is not None:
        return owner, owner.district
    if by.district_id is None:
        raise NoDistrict
    return None, by.district


def create_ask(
    *,
    by: Any,
    kind: str,
    text: str,
    title: Title | None = None,
    item: Item | None = None,
    place: Place | None = None,
    booking: Booking | None = None,
    now: dt.datetime | None = None,
) -> Ask:
    """A member asks for an item, reports a problem or suggests; routed to its owner."""
    now = now or timezone.now()
    if kind not in Kind.values:
        raise AskTextInvalid
    text = _clean(text, bounds.ASK_CHARS, AskTextInvalid)
    if booking is not None and booking.member_id != by.pk:
        raise NotYourAsk
    routed_place, district = _route(by, place, item, booking)
    with transaction.atomic(durable=True):
        ask = Ask.objects.create(
            kind=kind,
            text=text,
            asker=by,
            title=title,
            item=item,
            place=place,
            booking=booking,
            routed_place=routed_place,
            routed_district=district,
            created_at=now,
        )
        _event(VoiceEvent.Action.ASKED, ask, by, now, kind=kind)
    return ask


def _locked(*asks: Ask) -> list[Ask]:
    pks = sorted({a.pk for a in asks})
    rows = {a.pk: a for a in Ask.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    return [rows[a.pk] for a in asks]


def _landing(ask: Ask) -> Ask:
    """The ask a "me too" lands on: this one, or the open ask it was merged into; both locked
    in one statement in primary-key order, as merge locks them. (Locking the duplicate, then
    its target, deadlocked against a merge of that target, which re-points the duplicate.)"""
    while True:
        onward = Ask.objects.filter(pk=ask.pk).values_list("merged_into_id", flat=True).get()
        rows = _locked(ask, Ask(pk=onward)) if onward else _locked(ask)
        if rows[0].merged_into_id != onward:
            continue  # merged or re-pointed between the read and the lock: read again
        if rows[-1].status != Status.MERGED:
            return rows[-1]
        ask = rows[-1]  # not expected (merge re-points earlier duplicates): follow the chain


def me_too(*, ask: Ask, by: Any, now: dt.datetime | None = None) -> MeToo:
    """The member needs the same. Saying it twice is harmless; a merged ask passes it on."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        ask = _landing(ask)
        if ask.asker_id == by.pk:
            raise OwnAsk
        existing = MeToo.objects.filter(ask=ask, member=by).first()
        if existing is not None:
            return existing
        if ask.status in FINAL:
            raise AskClosed
        try:
            with transaction.atomic():
                support = MeToo.objects.create(ask=ask, member=by, created_at=now)
        except IntegrityError:  # metoo_once_per_member: a double click on another node
            return MeToo.objects.get(ask=ask, member=by)
        _event(VoiceEvent.Action.ME_TOO, ask, by, now)
    return support


def answer(*, ask: Ask, by: Any, text: str, now: dt.datetime | None = None) -> Answer:
    """Staff answer; the asker and every supporter are told. The first answer starts the
    clock the city publishes (time to first answer)."""
    now = now or timezone.now()
    text = _clean(text, bounds.VOICE_ANSWER_CHARS, AskTextInvalid)
    access.require_handle(by, ask)
    with transaction.atomic(durable=True):
        (ask,) = _locked(ask)
        if ask.status == Status.MERGED:
            raise AskClosed
        reply = Answer.objects.create(ask=ask, author=by, text=text, created_at=now)
        if ask.first_answered_at is None:
            ask.first_answered_at = now
            ask.save(update_fields=["first_answered_at"])
        _event(VoiceEvent.Action.ANSWERED, ask, by, now, answer=reply.pk)
        notices.tell(notices.people_of(ask, besides=by.pk), ask, notices.ANSWERED, reply.pk, now)
    return reply


def set_status(
    *,
    ask: Ask,
    by: Any,
    status: str,
    reason: str = "",
    title: Title | None = None,
    now: dt.datetime | None = None,
) -> Ask:
    """Planned, acquired (naming the title now in the catalogue), declined, answered or open
    again; the first three need a reason. Everyone who asked or supported it is told."""
    now = now or timezone.now()
    if status not in SETTABLE:
        raise BadStatus
    reason = (reason or "").strip()
    if status in NEEDS_REASON:
        reason = _clean(reason, bounds.VOICE_REASON_CHARS, ReasonNeeded)
    elif len(reason) > bounds.VOICE_REASON_CHARS:
        raise ReasonNeeded
    access.require_handle(by, ask)
    with transaction.atomic(durable=True):
        (ask,) = _locked(ask)
        if ask.status == Status.MERGED:
            raise AskClosed
        title = title or ask.title
        if status == Status.ACQUIRED and title is None:
            raise TitleNeeded
        if (ask.status, ask.reason, ask.title_id) == (status, reason, title and title.pk):
            return ask
        ask.status, ask.reason = status, reason
        if status == Status.ACQUIRED:
            ask.title = title
        ask.first_answered_at = ask.first_answered_at or now
        ask.closed_at = (ask.closed_at or now) if status in CLOSED else None
        ask.save(update_fields=["status", "reason", "title", "first_answered_at", "closed_at"])
        event = _event(VoiceEvent.Action.STATUS, ask, by, now, status=status, reason=reason)
        notices.tell(notices.people_of(ask, besides=by.pk), ask, notices.STATUS, event.pk, now)
    return ask


def merge(*, ask: Ask, into: Ask, by: Any, now: dt.datetime | None = None) -> Ask:
    """Join a duplicate ask to another. Its asker and supporters become supporters of the
    target, each counted once (the target's own asker not at all); they are told."""
    now = now or timezone.now()
    if ask.pk == into.pk:
        raise BadMerge
    access.require_handle(by, ask)
    access.require_handle(by, into)
    with transaction.atomic(durable=True):
        ask, into = _locked_for_merge(ask, into)
        if ask.status == Status.MERGED and ask.merged_into_id == into.pk:
            return ask
        if ask.status == Status.MERGED or into.status == Status.MERGED:
            raise BadMerge
        told = notices.people_of(ask, besides=by.pk)
        _move_supporters(ask, into, now)
        Ask.objects.filter(merged_into=ask).update(merged_into=into)
        ask.status, ask.merged_into = Status.MERGED, into
        ask.first_answered_at = ask.first_answered_at or now
        ask.closed_at = ask.closed_at or now
        ask.save(update_fields=["status", "merged_into", "first_answered_at", "closed_at"])
        event = _event(VoiceEvent.Action.MERGED, ask, by, now, into=into.pk)
        notices.tell(told, ask, notices.STATUS, event.pk, now)
    return ask


def _locked_for_merge(ask: Ask, into: Ask) -> tuple[Ask, Ask]:
    """Both asks, and the duplicates already merged into `ask` (merge re-points them), locked
    in one statement in primary-key order: me_too locks a duplicate and its target the same
    way, so neither waits on a row the other locked out of order."""
    rows = {
        a.pk: a
        for a in Ask.objects.select_for_update()
        .filter(Q(pk__in=[ask.pk, into.pk]) | Q(merged_into_id=ask.pk))
        .order_by("pk")
    }
    return rows[ask.pk], rows[into.pk]


def _move_supporters(ask: Ask, into: Ask, now: dt.datetime) -> None:
    already = set(MeToo.objects.filter(ask=into).values_list("member_id", flat=True))
    already.add(into.asker_id)
    MeToo.objects.filter(ask=ask, member_id__in=already).delete()
    MeToo.objects.filter(ask=ask).update(ask=into)
    if ask.asker_id not in already:
        MeToo.objects.create(ask=into, member_id=ask.asker_id, created_at=now)


def hold_acquired(*, ask: Ask, by: Any, now: dt.datetime | None = None) -> Booking:
    """The hold offered once an asked-for title is in the catalogue: the asker or a supporter
    joins the queue for it (lending's place_hold, so its limits and refusals apply), at the
    owning place when it keeps a copy, else at the nearest place of the district that does."""
    now = now or timezone.now()
    ask = Ask.objects.select_related("title", "routed_place").get(pk=ask.pk)
    if ask.status != Status.ACQUIRED or ask.title is None:
        raise NoHoldOffered
    if by.pk not in notices.people_of(ask):
        raise NoHoldOffered
    copies = Item.objects.filter(title=ask.title, place__is_active=True)
    place = ask.routed_place
    if place is None or not copies.filter(place=place).exists():
        in_district = copies.filter(place__district=ask.routed_district).order_by("place_id")
        first = in_district.first() or copies.order_by("place_id").first()
        if first is None:
            raise NoHoldOffered
        place = first.place
    return lending.place_hold(member=by, title=ask.title, place=place, by=by, now=now)
