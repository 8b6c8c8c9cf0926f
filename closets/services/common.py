"""Shared steps of the closet's workflows: the event log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from sharing_city.core.events import CITY, SYSTEM

from ..models import (
    ClosetEvent,
)

User = get_user_model()
ROOT_CATEGORY = "interview-clothing"


def _event(action: str, at: dt.datetime, by: Any, **fields: Any) -> ClosetEvent:
    """The audit row; no actor means the system (a sweep, a task) did it."""
    if by is None:
        fields.setdefault("who", SYSTEM)
    if fields.get("place") is None and fields.get("rental") is not None:
        fields["place"] = fields["rental"].place
    if fields.get("place") is None:  # the member's own acts (profile, feedback): their district
        member = fields.get("member")
        district = getattr(member, "district_id", None)
        fields.setdefault("where", f"district:{district}" if district else CITY)
    return ClosetEvent.objects.create(action=action, at=at, actor=by, **fields)
