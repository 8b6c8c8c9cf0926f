"""The figures of the programmes beside lending: the desk, Open Closet and home-share.

Each figure is a count over one table, defined in its docstring line and shown on the page.
Dates are Seoul dates and ranges include both ends (reports.figures). Figures that count
people are marked so that the public page can suppress small ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from closets.models import CoachingSession, FittingVisit, Rental
from homeshare.models import (
    Agreement,
    AgreementStatus,
    Answer,
    HostApplication,
    Match,
    StudentApplication,
)
from tool_centres.models import RepairTicket, Transfer
from voice.selectors import answer_figures

from .figures import Scope, category_ids_under, local_bounds, places_in

Visit = FittingVisit.State


@dataclass
class ProgrammeFigures:
    key: str
    title: str | Promise
    available: bool
    # (key, label, value, counts people?) in page order.
    figures: list[tuple[str, str | Promise, Any, bool]] = field(default_factory=list)
    definitions: list[str | Promise] = field(default_factory=list)

    def value(self, key: str) -> Any:
        return next(v for k, _label, v, _people in self.figures if k == key)


def desk_figures(scope: Scope) -> ProgrammeFigures:
    """Repair tickets and transfers at the places (category filter applies to the item)."""
    begin, after = local_bounds(scope.start, scope.end)
    places = list(places_in(scope).values_list("pk", flat=True))
    tickets = RepairTicket.objects.filter(place_id__in=places)
    transfers = Transfer.objects.all()
    if scope.category_id is not None:
        under = category_ids_under(scope.category_id)
        tickets = tickets.filter(item__title__category_id__in=under)
        transfers = transfers.filter(item__title__category_id__in=under)
    t = tickets.aggregate(
        opened=Count("pk", filter=Q(opened_at__gte=begin, opened_at__lt=after)),
        cleaning=Count(
            "pk",
            filter=Q(
                problem=RepairTicket.Problem.NEEDS_CLEANING,
                opened_at__gte=begin,
                opened_at__lt=after,
            ),
        ),
        resolved=Count(
            "pk",
            filter=Q(
                status=RepairTicket.Status.RESOLVED, closed_at__gte=begin, closed_at__lt=after
            ),
        ),
        retired=Count(
            "pk",
            filter=Q(status=RepairTicket.Status.RETIRED, closed_at__gte=begin, closed_at__lt=after),
        ),
        still_open=Count("pk", filter=Q(status__in=RepairTicket.OPEN_STATUSES)),
    )
    arrived = transfers.filter(
        status=Transfer.Status.ARRIVED, arrived_at__gte=begin, arrived_at__lt=after
    )
    return ProgrammeFigures(
        "desk",
        _("Repairs and transfers"),
        available=True,
        figures=[
            ("repairs_opened", _("Repair tickets opened"), t["opened"], False),
            ("repairs_cleaning", _("Of them, items sent to cleaning"), t["cleaning"], False),
            ("repairs_resolved", _("Repairs finished"), t["resolved"], False),
            ("repairs_retired", _("Items retired after a repair ticket"), t["retired"], False),
            ("repairs_open_now", _("Repair tickets open today"), t["still_open"], False),
            (
                "transfers_in",
                _("Items moved in from another place"),
                arrived.filter(to_place_id__in=places).count(),
                False,
            ),
            (
                "transfers_out",
                _("Items moved out to another place"),
                arrived.filter(from_place_id__in=places).count(),
                False,
            ),
        ],
        definitions=[
            _(
                "Repair tickets opened: tickets opened at the places in the range, cleaning "
                "(an item returned needing cleaning) included."
            ),
            _("Repairs finished / items retired: tickets closed that way in the range."),
            _("Transfers: items that arrived in the range, into or out of the places."),
        ],
    )


def closet_figures(scope: Scope) -> ProgrammeFigures:
    """Fittings, rentals, coaching and interview outcomes at the closets in scope."""
    begin, after = local_bounds(scope.start, scope.end)
    places = list(places_in(scope).values_list("pk", flat=True))
    visits = FittingVisit.objects.filter(
        slot__place_id__in=places, slot__starts_at__gte=begin, slot__starts_at__lt=after
    ).aggregate(
        held=Count("pk", filter=~Q(state__in=[Visit.BOOKED, Visit.CANCELLED, Visit.NO_SHOW])),
        no_show=Count("pk", filter=Q(state=Visit.NO_SHOW)),
    )
    rentals = Rental.objects.filter(place_id__in=places, rented_at__gte=begin, rented_at__lt=after)
    r = rentals.aggregate(
        rentals=Count("pk"),
        renters=Count("member", distinct=True),
        got_job=Count("pk", filter=Q(outcome=Rental.Outcome.GOT_JOB)),
        waiting=Count("pk", filter=Q(outcome=Rental.Outcome.NOT_YET)),
        no=Count("pk", filter=Q(outcome=Rental.Outcome.NO)),
    )
    coaching = CoachingSession.objects.filter(
        place_id__in=places, member__isnull=False, starts_at__gte=begin, starts_at__lt=after
    ).count()
    return ProgrammeFigures(
        "closet",
        _("Open Closet"),
        available=True,
        figures=[
            ("fittings", _("Fittings held"), visits["held"], True),
            ("fitting_no_shows", _("Fittings missed (no-show)"), visits["no_show"], True),
            ("rentals", _("Outfit rentals"), r["rentals"], True),
            ("renters", _("Renters (distinct)"), r["renters"], True),
            ("coaching_sessions", _("Career-advice sessions booked"), coaching, True),
            ("outcome_got_job", _("Reported: got the job"), r["got_job"], True),
            ("outcome_waiting", _("Reported: still waiting"), r["waiting"], True),
            ("outcome_no", _("Reported: not this time"), r["no"], True),
        ],
        definitions=[
            _(
                "Fittings held: fitting visits whose slot starts in the range and that took "
                "place (not booked only, cancelled or missed)."
            ),
            _("Rentals: outfits rented in the range; an outfit of several garments is one."),
            _(
                "Money saved and CO₂ avoided (under Impact): a rental counts once, as the "
                "largest of its garments' savings, not once per garment."
            ),
            _("Career-advice sessions: sessions in the range that a renter booked."),
            _(
                "Outcomes: what renters of the range reported after their interview; those "
                "who did not answer are not counted."
            ),
        ],
    )


def homeshare_figures(scope: Scope) -> ProgrammeFigures:
    """Home-share in the district (place and category filters do not apply)."""
    begin, after = local_bounds(scope.start, scope.end)
    district = {} if scope.district_id is None else {"district_id": scope.district_id}
    applications = screened = 0
    for model in (HostApplication, StudentApplication):
        found = model.objects.filter(**district).aggregate(
            submitted=Count("pk", filter=Q(submitted_at__gte=begin, submitted_at__lt=after)),
            screened=Count("pk", filter=Q(screened_at__gte=begin, screened_at__lt=after)),
        )
        applications += found["submitted"]
        screened += found["screened"]
    matches = Match.objects.all()
    agreements = Agreement.objects.exclude(status=AgreementStatus.DRAFT)
    if scope.district_id is not None:
        matches = matches.filter(host_application__district_id=scope.district_id)
        agreements = agreements.filter(match__host_application__district_id=scope.district_id)
    m = matches.filter(proposed_at__gte=begin, proposed_at__lt=after).aggregate(
        proposed=Count("pk"),
        accepted=Count(
            "pk", filter=Q(host_response=Answer.ACCEPTED, student_response=Answer.ACCEPTED)
        ),
    )
    in_force = (
        agreements.annotate(last=Coalesce("ended_on", "end_on"))
        .filter(start_on__lte=scope.end, last__gte=scope.start)
        .count()
    )
    endings = agreements.filter(ended_on__gte=scope.start, ended_on__lte=scope.end).count()
    return ProgrammeFigures(
        "homeshare",
        _("Home-share"),
        available=True,
        figures=[
            ("applications", _("Applications submitted"), applications, True),
            ("screened", _("Applications screened"), screened, True),
            ("matches_proposed", _("Matches proposed"), m["proposed"], True),
            ("matches_accepted", _("Matches accepted by both"), m["accepted"], True),
            ("agreements_active", _("Agreements in force"), in_force, True),
            ("agreements_ended", _("Agreements ended"), endings, True),
        ],
        definitions=[
            _("Applications: host and student applications submitted in the range."),
            _("Screened: applications the coordinator approved or declined in the range."),
            _("Matches: proposed in the range; accepted when both sides said yes."),
            _(
                "Agreements in force: confirmed agreements running on at least one day of "
                "the range; ended: agreements ended early or on time in the range."
            ),
        ],
    )


SMALL_FOR_MEDIAN = 5  # a median of fewer asks than this is not shown (one ask's own time)


def voice_figures(scope: Scope) -> ProgrammeFigures:
    """Residents' requests: time to first answer and to close (voice.selectors computes)."""
    found = answer_figures(
        start=scope.start, end=scope.end, district_id=scope.district_id, place_id=scope.place_id
    )["total"]
    answer_median = found.median_days_to_first_answer
    close_median = found.median_days_to_close
    if found.asks_answered < SMALL_FOR_MEDIAN:
        answer_median = None
    if found.asks_closed < SMALL_FOR_MEDIAN:
        close_median = None
    return ProgrammeFigures(
        "voice",
        _("Requests and suggestions"),
        available=True,
        figures=[
            ("asks", _("Requests made"), found.asks, True),
            ("asks_answered", _("Requests answered"), found.asks_answered, True),
            ("asks_closed", _("Requests closed"), found.asks_closed, True),
            ("median_days_to_first_answer", _("Median days to first answer"), answer_median, False),
            ("median_days_to_close", _("Median days to close"), close_median, False),
        ],
        definitions=[
            _(
                "Requests: asks for an item, problems and suggestions made in the range and "
                "routed to the district or place (merged duplicates are not counted)."
            ),
            _(
                "Days to first answer: from the request to the first answer or status change "
                "by staff; days to close: to answered, now in the catalogue or declined. "
                "Medians of fewer than 5 requests are not shown."
            ),
        ],
    )


def programme_figures(scope: Scope) -> list[ProgrammeFigures]:
    return [
        desk_figures(scope),
        closet_figures(scope),
        homeshare_figures(scope),
        voice_figures(scope),
    ]
