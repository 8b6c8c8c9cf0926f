"""Voice's notices: the asker and every "me too" supporter hear of each answer and status
change; staff hear of asks left unanswered. Texts are per-language templates
(voice/templates/voice/notices/<kind>_<part>.<lang>.txt).

Each notice is a row of the one notice log, made inside the service's transaction (so it
exists only if the change does) and delivered after commit: none is lost, none is doubled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from sharing_city.notifications.kinds import NoticeKind, bilingual_lazy, register
from sharing_city.notifications.models import Notice
from sharing_city.notifications.services import NoticeSpec, notify_many

from .models import Ask, MeToo

ANSWERED = "voice_answered"
STATUS = "voice_status"
UNANSWERED = "voice_unanswered"  # to staff


def _ask(notice: Notice) -> Ask | None:
    return (
        Ask.objects.select_related("routed_place", "routed_district", "title")
        .filter(pk=int(notice.subject_id))
        .first()
    )


def _context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    ask = _ask(notice)
    if ask is None:
        return {}
    answer = ask.answers.order_by("-created_at", "-pk").first()
    return {"ask": ask, "answer": answer, "owner": ask.routed_place or ask.routed_district}


def ask_link(notice: Notice) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("voice:detail", args=[notice.subject_id])


def inbox_link(notice: Notice) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("voice:inbox")


def still_unanswered(notice: Notice, now: dt.datetime) -> bool:
    ask = _ask(notice)
    return ask is not None and ask.first_answered_at is None and ask.status == "open"


def _kind(name: str, ko: str, en: str, link: Any, still_due: Any = None) -> NoticeKind:
    extra = {"still_due": still_due} if still_due else {}
    return NoticeKind(
        name=name,
        label=bilingual_lazy(ko=ko, en=en),
        template_prefix=f"voice/notices/{name}",
        extra_context=_context,
        link=link,
        **extra,
    )


KINDS = [
    _kind(ANSWERED, "요청에 답변이 등록됨", "Your request was answered", ask_link),
    _kind(STATUS, "요청 처리 상태 변경", "Your request's status changed", ask_link),
    _kind(
        UNANSWERED,
        "답변을 기다리는 요청",
        "Requests waiting for an answer",
        inbox_link,
        still_unanswered,
    ),
]


def register_all() -> None:
    for kind in KINDS:
        register(kind)


def people_of(ask: Ask, *, besides: int | None = None) -> list[int]:
    """The asker and every supporter, once each (the actor left out)."""
    ids = [ask.asker_id, *MeToo.objects.filter(ask=ask).values_list("member_id", flat=True)]
    seen: list[int] = []
    for pk in ids:
        if pk != besides and pk not in seen:
            seen.append(pk)
    return seen


def tell(recipients: list[int], ask: Ask, kind: str, step: str | int, now: dt.datetime) -> int:
    """Inside the caller's transaction: one notice per recipient, delivered after commit."""
    specs = [NoticeSpec(pk, "ask", ask.pk, kind, step) for pk in recipients]
    return notify_many(specs, now=now)
