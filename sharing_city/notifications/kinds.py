"""The registry of notice kinds. Apps register theirs in AppConfig.ready().

A kind names its templates and says how to re-check, at send time, that the notice is still
true: a reminder for a loan returned a minute ago must be cancelled, not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language

if TYPE_CHECKING:
    from .models import Notice


def _always(notice: Notice, now: datetime) -> bool:
    return True


def _no_link(notice: Notice) -> str | None:
    return None


def _no_context(notice: Notice, now: datetime) -> dict[str, Any]:
    return {}


def _no_attachments(notice: Notice, now: datetime) -> list[Attachment]:
    return []


# (file name, content, MIME type): a file sent with the email of a notice (SMS has none).
Attachment = tuple[str, bytes, str]


def bilingual(*, ko: str, en: str) -> str:
    """For apps that keep notice texts in per-language templates rather than catalogues."""
    return en if (get_language() or "ko").startswith("en") else ko


bilingual_lazy = lazy(bilingual, str)


@dataclass(frozen=True)
class NoticeKind:
    """`template_prefix` + `_subject`, `_body` and `_sms` are rendered in the recipient's
    language: `<prefix>_body.ko.txt` when it exists (a text written in that language), else
    `<prefix>_body.txt` (translated with {% translate %}). The context is the notice's own plus
    `extra_context(notice, now)`, fetched fresh at send time (and so are `attachments`, the
    email's files). `still_due(notice, now)` is the send-time re-check; `now` is the
    delivery's clock, so time-travel tests see the same day."""

    name: str
    label: str | Promise
    template_prefix: str
    still_due: Callable[[Notice, datetime], bool] = field(default=_always)
    link: Callable[[Notice], str | None] = field(default=_no_link)
    extra_context: Callable[[Notice, datetime], dict[str, Any]] = field(default=_no_context)
    # Files for the email (a booking's .ics), made at send time in the recipient's language.
    attachments: Callable[[Notice, datetime], list[Attachment]] = field(default=_no_attachments)


class UnknownNoticeKind(LookupError):
    pass


_registry: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> NoticeKind:
    """Registering the same kind again (a reloaded module) is harmless; a clash is a bug."""
    existing = _registry.get(kind.name)
    if existing is not None and existing.template_prefix != kind.template_prefix:
        raise ValueError(f"notice kind {kind.name!r} is already registered differently")
    _registry[kind.name] = kind
    return kind


def kind_choices() -> list[tuple[str, str | Promise]]:
    """(name, label) of every registered kind, by name: the failed-notices filter offers them."""
    return [(kind.name, kind.label) for kind in sorted(_registry.values(), key=lambda k: k.name)]


def get_kind(name: str) -> NoticeKind:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownNoticeKind(name) from None
