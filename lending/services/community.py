"""What members tell each other: tips from the last borrower, and their own lists of titles."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lending import access
from lending.exceptions import (
    ListNameInvalid,
    NotAtYourPlace,
    OwnTip,
    TipAlreadyLeft,
    TipEmpty,
    TipHasContact,
    TipNotAllowed,
)
from lending.models import Event, Loan, Tip, TipMark, Title, TitleList
from sharing_city.core import bounds

from .common import _event

# An address anywhere in the text (Django's EmailValidator checks a whole value, not a line).
EMAIL_IN_TEXT = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+\s*(?:@|＠)\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)+"
)


def has_contact(text: str) -> bool:
    """True when the text holds a phone number (of PHONE_REGION, or international) or an email."""
    if EMAIL_IN_TEXT.search(text):
        return True
    # VALID, not POSSIBLE: "2024 pine" or "code 12345678" is not a number anyone can call.
    matcher = phonenumbers.PhoneNumberMatcher(
        text, settings.PHONE_REGION, leniency=phonenumbers.Leniency.VALID
    )
    return matcher.has_next()


def clean_tip(text: str) -> str:
    """The tip as stored: one line, trimmed; refuses empty, too long, or contact details."""
    line = " ".join(text.split())
    if not line or len(line) > bounds.TIP_CHARS:
        raise TipEmpty
    if has_contact(line):
        raise TipHasContact
    return line


def leave_tip(*, title: Title, by: Any, text: str, now: dt.datetime | None = None) -> Tip:
    """A borrower who returned a copy of the title leaves one tip on it (one per member)."""
    now = now or timezone.now()
    line = clean_tip(text)
    with transaction.atomic(durable=True):
        returned = (
            Loan.objects.filter(member=by, item__title=title, returned_at__isnull=False)
            .select_related("place")
            .order_by("-returned_at")
            .first()
        )
        if returned is None:
            raise TipNotAllowed
        try:
            with transaction.atomic():
                tip = Tip.objects.create(
                    title=title, author=by, place=returned.place, text=line, created_at=now
                )
        except IntegrityError as exc:  # tip_one_per_member: a second tip, or a double click
            raise TipAlreadyLeft from exc
        _event(Event.Action.TIP, now, by, member=by, place=returned.place, data={"tip": tip.pk})
    return tip


def mark_tip(*, tip: Tip, by: Any, kind: str, now: dt.datetime | None = None) -> TipMark:
    """Mark a tip helpful, or flag it. Marking twice is harmless."""
    now = now or timezone.now()
    if kind not in TipMark.Kind.values:
        raise TipEmpty
    with transaction.atomic(durable=True):
        if tip.author_id == by.pk:
            raise OwnTip
        mark, _created = TipMark.objects.get_or_create(
            tip=tip, member=by, kind=kind, defaults={"created_at": now}
        )
    return mark


def hide_tip(*, tip: Tip, by: Any, now: dt.datetime | None = None) -> Tip:
    """A volunteer of the tip's place hides it. Hiding a hidden tip changes nothing."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        tip = Tip.objects.select_for_update().select_related("place").get(pk=tip.pk)
        if not access.can_work_at(by, tip.place):
            raise NotAtYourPlace
        if tip.hidden_at is not None:
            return tip
        tip.hidden_at = now
        tip.hidden_by = by
        tip.save(update_fields=["hidden_at", "hidden_by"])
        _event(
            Event.Action.TIP_HIDDEN,
            now,
            by,
            member=tip.author,
            place=tip.place,
            data={"tip": tip.pk},
        )
    return tip


def save_to_list(
    *, owner: Any, title: Title, name: str, now: dt.datetime | None = None
) -> TitleList:
    """Put a title in one of the owner's lists, making the list if it is new. Twice is harmless."""
    now = now or timezone.now()
    name = " ".join(name.split())
    if not name or len(name) > bounds.LIST_NAME_CHARS:
        raise ListNameInvalid
    with transaction.atomic(durable=True):
        title_list, _created = TitleList.objects.get_or_create(
            owner=owner, name=name, defaults={"created_at": now}
        )
        title_list.titles.add(title)
    return title_list


def remove_from_list(*, title_list: TitleList, title: Title, by: Any) -> TitleList:
    with transaction.atomic(durable=True):
        if title_list.owner_id != by.pk:
            raise NotAtYourPlace
        title_list.titles.remove(title)
    return title_list
