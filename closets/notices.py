"""The closet's notices and calendar events, registered with sharing_city.notifications.

- closet_fitting_reminder: the day before a booked fitting (step = the slot's start, so a
  moved visit is reminded again for its new time; a cancelled one is not sent).
- closet_follow_up: after the interview date, "how did it go?" (once per rental).
- closet_thanks: a renter's thank-you letter reached the donor (once per letter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sharing_city.notifications.calendar import CalendarEvent, register_provider
from sharing_city.notifications.kinds import NoticeKind, register
from sharing_city.notifications.models import Notice

from .models import FittingVisit, Rental, ThankYouLetter
from .reminders import reminder_step


def _visit(notice: Notice) -> FittingVisit | None:
    return FittingVisit.objects.select_related("slot__place").filter(pk=notice.subject_id).first()


def _visit_still_due(notice: Notice, now: dt.datetime) -> bool:
    visit = _visit(notice)
    return (
        visit is not None
        and visit.state == FittingVisit.State.BOOKED
        and reminder_step(visit.slot.starts_at) == notice.step
        and visit.slot.starts_at > now
    )


def _visit_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    visit = _visit(notice)
    if visit is None:
        return {}
    return {
        "place": visit.slot.place.name,
        "starts_at": visit.slot.starts_at,
        "address": visit.slot.place.address,
    }


def _rental_context(notice: Notice, now: dt.datetime) -> dict[str, Any]:
    rental = Rental.objects.filter(pk=notice.subject_id).first()
    return {"interview_date": rental.interview_date} if rental else {}


def _answer_link(notice: Notice) -> str:
    """The signed answer page: one tap answers, no sign-in needed."""
    from .outcomes import answer_path

    rental = Rental.objects.filter(pk=notice.subject_id).first()
    return answer_path(rental) if rental else reverse("closets:start")


def _follow_up_still_due(notice: Notice, now: dt.datetime) -> bool:
    return Rental.objects.filter(pk=notice.subject_id, outcome="").exists()


def _thanks_still_due(notice: Notice, now: dt.datetime) -> bool:
    return ThankYouLetter.objects.filter(pk=notice.subject_id).exists()


FITTING_REMINDER = register(
    NoticeKind(
        name="closet_fitting_reminder",
        label=gettext_lazy("Fitting reminder"),
        template_prefix="closets/notices/fitting_reminder",
        still_due=_visit_still_due,
        link=lambda notice: reverse("closets:start"),
        extra_context=_visit_context,
    )
)
FOLLOW_UP = register(
    NoticeKind(
        name="closet_follow_up",
        label=gettext_lazy("How did your interview go?"),
        template_prefix="closets/notices/follow_up",
        still_due=_follow_up_still_due,
        link=_answer_link,
        extra_context=_rental_context,
    )
)
THANKS = register(
    NoticeKind(
        name="closet_thanks",
        label=gettext_lazy("A thank-you letter from a renter"),
        template_prefix="closets/notices/thanks",
        still_due=_thanks_still_due,
        link=lambda notice: reverse("closets:donor"),
    )
)


def fitting_events(member: Any, start: dt.date, end: dt.date) -> Iterable[CalendarEvent]:
    """Booked fittings in the member's private calendar feed."""
    visits = (
        FittingVisit.objects.holding_seat()
        .filter(member=member, slot__starts_at__date__gte=start, slot__starts_at__date__lt=end)
        .select_related("slot__place")
    )
    for visit in visits:
        yield CalendarEvent(
            uid=f"closet-visit-{visit.pk}@sharing.city",
            summary=_("Fitting at %(place)s") % {"place": visit.slot.place.name},
            start=visit.slot.starts_at,
            end=visit.slot.ends_at,
            location=visit.slot.place.address,
        )


register_provider("closets-fittings", fitting_events)
