"""Personal data rights: what each programme holds about a member, in one export.

The accounts app sits on the lowest layer, so it cannot read the programmes' tables itself.
Each app registers, in its AppConfig.ready, the sections of the export it answers for and
names every foreign key to the member it holds: either a section covers it, or it is declared
not exported with the reason (a staff member's own work, a credential). A test walks every
model with a foreign key to the member and fails when one is neither, so a new table cannot
slip out of the export unnoticed.

A section returns plain JSON values (str, int, bool, None, lists and dicts), never another
member's name, phone, address or birth date: only what the member may already see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str  # "lending.loans": stable, the JSON key
    title: str | Promise  # the heading on the readable page
    rows: Callable[[Any], Iterable[Row]]
    covers: tuple[str, ...] = field(default=())  # "app_label.Model.field" answered for


_SECTIONS: dict[str, Section] = {}
_NOT_EXPORTED: dict[str, str] = {}


def register_section(
    key: str,
    title: str | Promise,
    rows: Callable[[Any], Iterable[Row]],
    *,
    covers: Iterable[str] = (),
) -> None:
    _SECTIONS[key] = Section(key=key, title=title, rows=rows, covers=tuple(covers))


def register_not_exported(field_label: str, reason: str) -> None:
    """A foreign key to a member that the export leaves out on purpose, and why."""
    _NOT_EXPORTED[field_label] = reason


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: s.key)


def covered_fields() -> set[str]:
    return {label for s in _SECTIONS.values() for label in s.covers}


def not_exported() -> dict[str, str]:
    return dict(_NOT_EXPORTED)


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates in ISO 8601, amounts as integers or strings."""
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, FieldFile):  # the stored name, not a link that would outlive the export
        return value.name or None
    return value


def row(obj: Any, *names: str, **extra: Any) -> Row:
    """The named fields of one row, plain; extra adds computed values."""
    out = {name: plain(getattr(obj, name)) for name in names}
    out.update({k: plain(v) for k, v in extra.items()})
    return out


def export_for(user: Any, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the platform holds about `user`, programme by programme."""
    now = now or timezone.now()
    return {
        "format": "sharing-city-export/1",
        "generated_at": plain(now),
        "member": member_row(user),
        "sections": {s.key: [plain(r) for r in s.rows(user)] for s in sections()},
    }


def member_row(user: Any) -> Row:
    return row(
        user,
        "username",
        "member_number",
        "full_name",
        "email",
        "phone",
        "preferred_language",
        "role",
        "is_verified",
        "date_joined",
        "last_login",
        "terms_accepted_at",
        "privacy_accepted_at",
        district=user.district.code if user.district_id else None,
    )


def unanswered_fields() -> list[str]:
    """Every foreign key to the member that no section covers and nobody declared left out."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    answered = covered_fields() | set(_NOT_EXPORTED)
    missing = []
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is user_model:
                label = f"{model._meta.label}.{f.name}"
                if label not in answered:
                    missing.append(label)
    return sorted(missing)


# --- Closing an account -------------------------------------------------------------------
#
# Each programme registers why it would refuse (something still out, money held, an agreement
# in force) and how it forgets the member's personal data. Rows that figures count (loans,
# rentals, events, applications) stay, tied to the anonymous member, so no published figure
# changes when someone leaves.

Refusals = Callable[[Any], Iterable[str]]
Anonymiser = Callable[[Any, dt.datetime], None]

_REFUSALS: dict[str, Refusals] = {}
_ANONYMISERS: dict[str, Anonymiser] = {}


class AccountClosureRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def register_closure(
    key: str, *, refusals: Refusals | None = None, anonymise: Anonymiser | None = None
) -> None:
    if refusals is not None:
        _REFUSALS[key] = refusals
    if anonymise is not None:
        _ANONYMISERS[key] = anonymise


def closure_refusals(user: Any) -> list[str]:
    """Why the member cannot close their account now (empty: they can)."""
    return [reason for key in sorted(_REFUSALS) for reason in _REFUSALS[key](user)]


def close_account(*, user: Any, now: dt.datetime | None = None) -> Any:
    """Anonymise the member and shut their login, or refuse with every reason.

    The member row stays (its id, district, role and join date are what the figures count);
    name, email, phone and username are replaced, the password made unusable, and each
    programme forgets its free texts, addresses, birth dates and measurements. Idempotent:
    closing a closed account changes nothing."""
    from django.db import transaction

    now = now or timezone.now()
    with transaction.atomic(durable=True):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.closed_at is not None:
            return user
        reasons = closure_refusals(user)
        if reasons:
            raise AccountClosureRefused(reasons)
        anonymise_member(user, now=now)
    return user


def anonymise_member(user: Any, *, now: dt.datetime) -> None:
    """The anonymisation itself, inside the caller's transaction (close_account, retention)."""
    for key in sorted(_ANONYMISERS):
        _ANONYMISERS[key](user, now)
    user.full_name = ""
    user.username = f"closed-{user.pk}"
    user.email = f"closed-{user.pk}@invalid"  # unique, and never deliverable (RFC 2606)
    user.phone = ""
    user.is_active = False
    user.is_verified = False
    user.set_unusable_password()
    user.closed_at = now
    user.save(
        update_fields=[
            "full_name",
            "username",
            "email",
            "phone",
            "is_active",
            "is_verified",
            "password",
            "closed_at",
        ]
    )


# --- Retention --------------------------------------------------------------------------
#
# One nightly sweep (sharing_city.accounts.tasks.retention): members inactive for
# RETENTION_INACTIVE_YEARS are anonymised as if they had closed their account (unless
# something is still out), and each programme deletes what it keeps only for a while
# (proofs RETENTION_PROOF_DAYS after the decision, notice bodies after RETENTION_NOTICE_DAYS).
# Every step is safe to run twice: it only touches rows not yet forgotten.

Forgetter = Callable[[dt.datetime], int]
_FORGETTERS: dict[str, Forgetter] = {}


def register_retention(key: str, forget: Forgetter) -> None:
    _FORGETTERS[key] = forget


def anonymise_inactive(*, now: dt.datetime) -> int:
    """Anonymise the members who have not signed in (or, never signed in, joined) for
    RETENTION_INACTIVE_YEARS, skipping those with something still out. Returns how many."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Q

    years = settings.RETENTION_INACTIVE_YEARS
    cutoff = now - dt.timedelta(days=365 * years)
    users = (
        get_user_model()
        .objects.filter(closed_at__isnull=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    done = 0
    for pk in users.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            user = get_user_model().objects.select_for_update().get(pk=pk)
            if user.closed_at is not None or closure_refusals(user):
                continue
            anonymise_member(user, now=now)
            done += 1
    return done


def run_retention(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"members": anonymise_inactive(now=now)}
    for key in sorted(_FORGETTERS):
        counts[key] = _FORGETTERS[key](now)
    return counts
