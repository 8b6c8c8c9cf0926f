"""The registry of notice kinds. Apps register theirs in AppConfig.ready().

A kind names its templates and says how to re-check, at send time, that the notice is still
true: a reminder for a loan returned a minute ago must be cancelled, not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Notice


def _always(notice: Notice) -> bool:
    return True


def _no_link(notice: Notice) -> str | None:
    return None


def _no_context(notice: Notice) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class NoticeKind:
    """`template_prefix` + `_subject.txt`, `_body.txt` and `_sms.txt` are rendered in the
    recipient's language with the notice's context plus `extra_context(notice)`."""

    name: str
    label: str | Promise
    template_prefix: str
    still_due: Callable[[Notice], bool] = field(default=_always)
    link: Callable[[Notice], str | None] = field(default=_no_link)
    extra_context: Callable[[Notice], dict[str, Any]] = field(default=_no_context)


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


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get_kind(name: str) -> NoticeKind:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownNoticeKind(name) from None


def all_kinds() -> list[NoticeKind]:
    return sorted(_registry.values(), key=lambda kind: kind.name)
