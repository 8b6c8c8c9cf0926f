"""Who looked at a member's personal data: one row per look, written by the pages that show it.

Not to be confused with access.py (who *may* see what): this module records who *did*.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, Role
from .rights import register_closure, register_not_exported, register_section, row

log = logging.getLogger(__name__)


def record_access(
    viewer: Any,
    member: Any,
    kind: str,
    obj: Any,
    *,
    where: str = "",
    now: dt.datetime | None = None,
) -> AccessLog | None:
    """Record that `viewer` saw `member`'s personal data on `obj`'s page (kind: AccessKind).

    A member looking at their own data is not recorded. A failed write is logged as an error
    and the page is shown anyway: a page that refuses to open because of its audit row would
    stop a desk; the error log makes a lost row visible instead of silent."""
    if not getattr(viewer, "is_authenticated", False) or member is None:
        return None
    if viewer.pk == member.pk:
        return None
    role = Role.ADMIN if viewer.is_city_admin else viewer.role
    fields = {
        "viewer": viewer,
        "member": member,
        "kind": kind,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "viewer_role": role,
        "where": str(where)[:200],
        "at": now or timezone.now(),
    }
    try:
        if not transaction.get_connection().in_atomic_block:
            return AccessLog.objects.create(**fields)  # autocommit: one INSERT
        with transaction.atomic():  # a savepoint: a failure never poisons the caller's transaction
            return AccessLog.objects.create(**fields)
    except DatabaseError:
        log.exception(
            "access log row lost: viewer=%s member=%s kind=%s", viewer.pk, member.pk, kind
        )
        return None


def may_read_access_log(user: Any) -> bool:
    """The whole log names staff and members together: city admins only."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_city_admin)


def _export_rows(member: Any) -> list[dict[str, Any]]:
    # The viewer's role and place, never their name: the same as the profile page shows.
    return [
        row(a, "kind", "viewer_role", "where", "at", object=f"{a.object_type}:{a.object_id}")
        for a in AccessLog.objects.about(member).order_by("at", "pk")
    ]


def _forget_member(member: Any, now: dt.datetime) -> None:
    # The looks stay as anonymous rows (the staff's work and any count of looks are unchanged);
    # only the link to the closed member goes.
    AccessLog.objects.filter(member=member).update(member=None)


def register_rights() -> None:
    register_section(
        "accounts.access_log",
        _("Who looked at my data"),
        _export_rows,
        covers=["accounts.AccessLog.member"],
    )
    register_not_exported(
        "accounts.AccessLog.viewer", "a staff member's record of their own looks at others' data"
    )
    register_closure("accounts.access_log", anonymise=_forget_member)
