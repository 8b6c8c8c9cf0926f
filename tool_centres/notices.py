"""The notice a member gets when a repair or a transfer cancels their booking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lending.models import Booking
from sharing_city.notifications.kinds import NoticeKind, register
from sharing_city.notifications.services import notify

BOOKING_CANCELLED = "tool_centres_booking_cancelled"


def _still_cancelled(notice: Any, now: datetime) -> bool:
    return Booking.objects.filter(pk=notice.subject_id, status=Booking.Status.CANCELLED).exists()


def _link(notice: Any) -> str | None:
    try:
        return reverse("accounts:landing")
    except NoReverseMatch:
        return None


def register_kinds() -> None:
    register(
        NoticeKind(
            name=BOOKING_CANCELLED,
            label=_("Booking cancelled: the item needs repair or moved"),
            template_prefix="tool_centres/notices/booking_cancelled",
            still_due=_still_cancelled,
            link=_link,
        )
    )


def tell_booking_cancelled(booking: Booking, *, why: str) -> None:
    """Inside the caller's transaction: the notice exists only if the cancellation commits."""
    notify(
        recipient=booking.member,
        subject_type="lending.booking",
        subject_id=booking.pk,
        kind=BOOKING_CANCELLED,
        context={
            "title_ko": booking.title.name_ko,
            "title_en": booking.title.name_en or booking.title.name_ko,
            "place_ko": booking.place.name_ko,
            "place_en": booking.place.name_en or booking.place.name_ko,
            "start": date_format(booking.start_date, "Y-m-d") if booking.start_date else "",
            "why": why,
        },
    )
