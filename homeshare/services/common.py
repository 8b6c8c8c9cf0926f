"""What every home-share workflow shares: the clock, the event row, the row lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone

from sharing_city.accounts.models import District, User
from sharing_city.core.events import CITY, SYSTEM

from ..models import Application, Event, HostApplication

AppT = TypeVar("AppT", bound=Application)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    action: str, at: datetime, by: User | None, district: District | None, **links: Any
) -> Event:
    """The audit row, at the service's `now`. No district means a city-wide act; no actor, the
    system (a task)."""
    if district is None:
        links.setdefault("where", CITY)
    if by is None:
        links.setdefault("who", SYSTEM)
    return Event.objects.create(action=action, at=at, actor=by, district=district, **links)


def _links(app: Application) -> dict[str, Any]:
    key = "host_application" if isinstance(app, HostApplication) else "student_application"
    return {key: app}


def _locked(app: AppT) -> AppT:
    return type(app).objects.select_for_update().get(pk=app.pk)  # type: ignore[return-value]
