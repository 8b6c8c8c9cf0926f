"""What voice holds about a member, for their data export (sharing_city.accounts.rights)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import Ask, MeToo


def _asks(user: Any) -> Iterable[Row]:
    for ask in Ask.objects.filter(asker=user).order_by("created_at", "pk"):
        yield row(
            ask,
            "id",
            "kind",
            "text",
            "status",
            "reason",
            "created_at",
            "first_answered_at",
            "closed_at",
        )


def _supports(user: Any) -> Iterable[Row]:
    for support in MeToo.objects.filter(member=user).order_by("created_at", "pk"):
        yield row(support, "ask_id", "created_at")


# What stays of a closed account's request: the row (its place, dates and supporters are the
# published time-to-answer figures), not the member's words.
CLOSED_ACCOUNT_TEXT = "—"


def _anonymise(user: Any, now: Any) -> None:
    Ask.objects.filter(asker=user).update(text=CLOSED_ACCOUNT_TEXT)


def register() -> None:
    from sharing_city.accounts.rights import register_closure

    register_closure("voice", anonymise=_anonymise)
    register_section(
        "voice.asks", _("Your requests and suggestions"), _asks, covers=["voice.Ask.asker"]
    )
    register_section(
        "voice.supports", _("Requests you also need"), _supports, covers=["voice.MeToo.member"]
    )
    register_not_exported("voice.Answer.author", "staff's answer to a member's request")
    register_not_exported(
        "voice.VoiceEvent.actor", "who handled a request (the request is exported)"
    )
