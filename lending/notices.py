"""The lending engine's notices: kinds, their send-time re-checks, who gets them, and the
events lending puts in a member's calendar feed. Registered by LendingConfig.ready().

Each re-check answers "is this still true now?" from the database at send time, so a
reminder for an item returned a minute ago is cancelled, not sent. Loan steps carry the due
date they were made for ("-1_2026-11-20"): after a renewal the old reminders no longer match
and the new due date gets its own.

Texts live in per-language templates (lending/templates/lending/notices/<kind>_<part>.<lang>.txt),
written in Korean and in English rather than translated word by word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sharing_city.accounts.models import Role, User
from sharing_city.notifications import calendar
from sharing_city.notifications.kinds import (
    Attachment,
    NoticeKind,
    bilingual,
    bilingual_lazy,
    register,
)
from sharing_city.notifications.models import Notice
from sharing_city.notifications.services import notify

from .models import Booking, Item, Loan, Place, PlaceRole
from .opening import hours_summary

DUE_SOON = "loan_due_soon"
OVERDUE = "loan_overdue"
PRESUMED_LOST = "loan_presumed_lost"  # to the place's staff
LOST_TO_BORROWER = "loan_lost_to_borrower"
BOOKING_READY = "booking_ready"
BOOKING_CONFIRMED = "booking_confirmed"
PICKUP_REMINDER = "booking_pickup_reminder"
BOOKING_EXPIRED = "booking_expired"
PLACE_OVERDUE_LIST = "place_overdue_list"
PLACE_DIGEST = "place_digest"
LIST_LIMIT = 50  # rows in a place's e-mailed list; the desk page has the rest


def loan_step(offset: int, due: dt.date) -> str:
    """Days from the due date (-1 the day before, +7 a week late) and the due date itself."""
    return f"{offset:+d}_{due.isoformat()}"


def _step_due(notice: Notice) -> dt.date:
    return dt.date.fromisoformat(notice.step.split("_", 1)[1])


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


# --- Who hears about a place ----------------------------------------------------------------


def staff_of_place(place: Place) -> list[int]:
    """District staff of the place's district and the place's lead volunteers."""
    staff = User.objects.filter(is_active=True).filter(
        Q(role=Role.STAFF, district_id=place.district_id)
        | Q(place_roles__place=place, place_roles__role=PlaceRole.Role.LEAD)
    )
    return list(staff.values_list("pk", flat=True).distinct())


# --- Loans --------------------------------------------------------------------------------


def _loan(notice: Notice) -> Loan | None:
    return (
        Loan.objects.select_related("item__title", "place", "member")
        .filter(pk=int(notice.subject_id))
        .first()
    )


def _loan_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    loan = _loan(notice)
    if loan is None:
        return {}
    return {
        "loan": loan,
        "title": loan.item.title.name,
        "code": loan.item.code,
        "place": loan.place.name,
        "place_phone": loan.place.phone,
        "due": loan.due_date,
        "days_overdue": max(0, (_today(now) - loan.due_date).days),
        "offset": int(notice.step.split("_", 1)[0]) if notice.step else 0,
        "lost_days": settings.LENDING_PRESUMED_LOST_DAYS,
        "borrower": loan.member.full_name,
        "borrower_number": loan.member.member_number,
    }


def due_soon_still_due(notice: Notice, now: dt.datetime) -> bool:
    loan, due = _loan(notice), _step_due(notice)
    return loan is not None and loan.is_open and loan.due_date == due and _today(now) <= due


def overdue_still_due(notice: Notice, now: dt.datetime) -> bool:
    loan, due = _loan(notice), _step_due(notice)
    return loan is not None and loan.is_open and loan.due_date == due and _today(now) > due


def presumed_lost_still_due(notice: Notice, now: dt.datetime) -> bool:
    loan = _loan(notice)
    return loan is not None and loan.outcome == Loan.Outcome.LOST


# --- Bookings -----------------------------------------------------------------------------


def _booking(notice: Notice) -> Booking | None:
    return (
        Booking.objects.select_related("title", "place", "item")
        .filter(pk=int(notice.subject_id))
        .first()
    )


def _booking_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    booking = _booking(notice)
    if booking is None:
        return {}
    return {
        "booking": booking,
        "title": booking.title.name,
        "code": booking.item.code if booking.item else "",
        "place": booking.place.name,
        "place_address": booking.place.address,
        "collect_by": booking.pickup_deadline,
    }


def booking_ready_still_due(notice: Notice, now: dt.datetime) -> bool:
    booking = _booking(notice)
    return booking is not None and booking.status == Booking.Status.READY


def pickup_reminder_still_due(notice: Notice, now: dt.datetime) -> bool:
    booking = _booking(notice)
    return (
        booking is not None
        and booking.status == Booking.Status.READY
        and booking.pickup_deadline is not None
        and _today(now) <= booking.pickup_deadline
    )


def booking_expired_still_due(notice: Notice, now: dt.datetime) -> bool:
    booking = _booking(notice)
    return booking is not None and booking.status == Booking.Status.EXPIRED


def booking_confirmed_still_due(notice: Notice, now: dt.datetime) -> bool:
    booking = _booking(notice)
    return booking is not None and booking.is_active() and booking.start_date is not None


def _confirmed_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    booking = _booking(notice)
    if booking is None:
        return {}
    return {
        **_booking_context(notice, now),
        "start": booking.start_date,
        "end": booking.end_date,
        "place_phone": booking.place.phone,
        "place_hours": hours_summary(booking.place),
    }


def booking_calendar_file(notice: Notice, now: dt.datetime) -> list[Attachment]:
    """The pickup and the return as all-day events, at the place, with its hours: one .ics."""
    booking = _booking(notice)
    if booking is None or booking.start_date is None or booking.end_date is None:
        return []
    place = booking.place
    where = f"{place.name}, {place.address}"
    hours = hours_summary(place)
    events = [
        calendar.CalendarEvent(
            uid=_uid("booking-pickup", booking.pk),
            summary=bilingual(ko="수령: ", en="Pick up: ") + booking.title.name,
            start=booking.start_date,
            location=where,
            description=bilingual(ko="운영 시간: ", en="Opening hours: ") + hours,
        ),
        calendar.CalendarEvent(
            uid=_uid("booking-return", booking.pk),
            summary=bilingual(ko="반납: ", en="Return: ") + booking.title.name,
            start=booking.end_date,
            location=where,
            description=bilingual(ko="운영 시간: ", en="Opening hours: ") + hours,
        ),
    ]
    content = calendar.event_file(events, now=now)
    return [(f"booking-{booking.pk}.ics", content, "text/calendar; charset=utf-8")]


def notify_booking_made(booking: Booking) -> None:
    """Subscribed to lending's on_booking_made: runs after the booking's commit. One notice
    per channel the member chose (email carries the .ics, SMS the short text)."""
    notify(
        recipient=booking.member,
        subject_type="booking",
        subject_id=booking.pk,
        kind=BOOKING_CONFIRMED,
    )


def my_bookings_link(notice: Notice) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("lending:my-bookings")


def notify_booking_ready(booking: Booking) -> None:
    """Subscribed to lending's on_booking_ready: runs after the booking's commit."""
    notify(
        recipient=booking.member,
        subject_type="booking",
        subject_id=booking.pk,
        kind=BOOKING_READY,
    )


# --- Places -------------------------------------------------------------------------------


def _place_lists(place_id: int, today: dt.date) -> dict[str, Any]:
    loans = Loan.objects.at_place(place_id).select_related("item__title", "member")
    overdue = loans.overdue(today).order_by("due_date", "pk")
    pickups = (
        Booking.objects.filter(place_id=place_id)
        .filter(
            Q(status=Booking.Status.READY) | Q(status=Booking.Status.REQUESTED, start_date=today)
        )
        .select_related("title", "item", "member")
        .order_by("pickup_deadline", "pk")
    )
    repairs = Item.objects.filter(place_id=place_id, status=Item.Status.MAINTENANCE)
    return {
        "overdue": list(overdue[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "returns_due": list(loans.due_on(today).order_by("pk")[:LIST_LIMIT]),
        "pickups": list(pickups[:LIST_LIMIT]),
        "repairs": list(repairs.select_related("title").order_by("code")[:LIST_LIMIT]),
    }


def _place_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    place = Place.objects.filter(pk=int(notice.subject_id)).first()
    if place is None:
        return {}
    return {"place": place.name, "day": _today(now), **_place_lists(place.pk, _today(now))}


def place_overdue_list_still_due(notice: Notice, now: dt.datetime) -> bool:
    return Loan.objects.at_place(int(notice.subject_id)).overdue(_today(now)).exists()


def place_digest_still_due(notice: Notice, now: dt.datetime) -> bool:
    """Sent on the day it was made for, and only when there is something to do."""
    if notice.step != _today(now).isoformat():
        return False
    lists = _place_lists(int(notice.subject_id), _today(now))
    return any(lists[key] for key in ("overdue", "returns_due", "pickups", "repairs"))


# --- Registration -------------------------------------------------------------------------


def my_loans_link(notice: Notice) -> str:
    """Absolute, since it is read in an e-mail (SITE_URL + the member's loans page)."""
    return settings.SITE_URL.rstrip("/") + reverse("lending:my-loans")


def _kind(
    name: str, ko: str, en: str, still_due: Any, context: Any, link: Any = None
) -> NoticeKind:
    extra = {"link": link} if link else {}
    return NoticeKind(
        name=name,
        label=bilingual_lazy(ko=ko, en=en),
        template_prefix=f"lending/notices/{name}",
        still_due=still_due,
        extra_context=context,
        **extra,
    )


KINDS = [
    _kind(DUE_SOON, "반납 예정 안내", "Due soon", due_soon_still_due, _loan_context, my_loans_link),
    _kind(OVERDUE, "반납 기한 지남", "Overdue", overdue_still_due, _loan_context, my_loans_link),
    _kind(PRESUMED_LOST, "분실 추정 처리", "Presumed lost", presumed_lost_still_due, _loan_context),
    _kind(
        LOST_TO_BORROWER,
        "분실 처리 안내",
        "Recorded as lost",
        presumed_lost_still_due,
        _loan_context,
        my_loans_link,
    ),
    _kind(
        BOOKING_READY,
        "수령 준비 완료",
        "Ready for pickup",
        booking_ready_still_due,
        _booking_context,
    ),
    NoticeKind(
        name=BOOKING_CONFIRMED,
        label=bilingual_lazy(ko="예약 확인", en="Booking confirmed"),
        template_prefix=f"lending/notices/{BOOKING_CONFIRMED}",
        still_due=booking_confirmed_still_due,
        extra_context=_confirmed_context,
        link=my_bookings_link,
        attachments=booking_calendar_file,
    ),
    _kind(
        PICKUP_REMINDER,
        "수령 마감 안내",
        "Pickup reminder",
        pickup_reminder_still_due,
        _booking_context,
    ),
    _kind(
        BOOKING_EXPIRED,
        "예약 기한 만료",
        "Booking expired",
        booking_expired_still_due,
        _booking_context,
    ),
    _kind(
        PLACE_OVERDUE_LIST,
        "연체 목록",
        "Overdue list",
        place_overdue_list_still_due,
        _place_context,
    ),
    _kind(PLACE_DIGEST, "오늘의 업무", "Daily digest", place_digest_still_due, _place_context),
]


# --- Calendar feed ------------------------------------------------------------------------


def _uid(what: str, pk: int) -> str:
    return f"{what}-{pk}@{settings.NOTICE_MESSAGE_ID_DOMAIN}"


def loan_events(member: User, start: dt.date, end: dt.date) -> Iterator[calendar.CalendarEvent]:
    loans = (
        Loan.objects.open()
        .for_member(member)
        .filter(due_date__gte=start, due_date__lt=end)
        .select_related("item__title", "place")
    )
    for loan in loans:
        yield calendar.CalendarEvent(
            uid=_uid("loan-due", loan.pk),
            summary=bilingual(ko="반납: ", en="Return: ") + loan.item.title.name,
            start=loan.due_date,
            location=f"{loan.place.name}, {loan.place.address}",
            description=f"{loan.item.code}",
        )


def booking_events(member: User, start: dt.date, end: dt.date) -> Iterator[calendar.CalendarEvent]:
    bookings = (
        Booking.objects.active()
        .for_member(member)
        .filter(Q(pickup_deadline__gte=start) | Q(start_date__gte=start))
        .select_related("title", "place")
    )
    for booking in bookings:
        if booking.status == Booking.Status.READY and booking.pickup_deadline is not None:
            day = booking.pickup_deadline
            label = bilingual(ko="수령 마감: ", en="Collect by today: ")
        elif booking.start_date is not None:
            day = booking.start_date
            label = bilingual(ko="수령: ", en="Pick up: ")
        else:
            continue  # a queue hold has no date until a copy comes back
        if start <= day < end:
            yield calendar.CalendarEvent(
                uid=_uid("booking-pickup", booking.pk),
                summary=label + booking.title.name,
                start=day,
                location=f"{booking.place.name}, {booking.place.address}",
            )


def register_all() -> None:
    from .services.common import on_booking_made, on_booking_ready

    for kind in KINDS:
        register(kind)
    calendar.register_provider("lending-loans", loan_events)
    calendar.register_provider("lending-bookings", booking_events)
    if notify_booking_ready not in on_booking_ready:
        on_booking_ready.append(notify_booking_ready)
    if notify_booking_made not in on_booking_made:
        on_booking_made.append(notify_booking_made)
