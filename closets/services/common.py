"""Shared steps of the closet's workflows: the event log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from ..models import (
    ClosetEvent,
)

User = get_user_model()
ROOT_CATEGORY = "interview-clothing"


def _event(action: str, at: dt.datetime, by: Any, **fields: Any) -> ClosetEvent:
    return ClosetEvent.objects.create(action=action, at=at, actor=by, **fields)
