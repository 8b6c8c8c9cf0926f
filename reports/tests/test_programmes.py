"""Desk, Open Closet and home-share figures, each recomputed here in plain Python over the rows,
with rows on both sides of Seoul midnight at the range edges and in another district."""

import datetime as dt

import pytest

from closets.models import Coach, CoachingSession, FittingSlot, FittingVisit, Programme, Rental
from homeshare.models import Agreement, HostApplication, Match, StudentApplication
from lending.models import Place
from reports.figures import Scope
from reports.programmes import closet_figures, desk_figures, homeshare_figures
from tool_centres.models import RepairTicket, Transfer

from .conftest import TODAY, seoul

pytestmark = pytest.mark.django_db

START, END = TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=1)
# Just inside and just outside each edge of the range, in Seoul time.
MOMENTS = [
    seoul(START, 0, 0),
    seoul(START - dt.timedelta(days=1), 23, 59),
    seoul(END, 23, 59),
    seoul(END + dt.timedelta(days=1), 0, 0),
    seoul(START + dt.timedelta(days=3), 9),
]


def inside(moment):
    return moment is not None and START <= moment.astimezone(seoul(TODAY, 0).tzinfo).date() <= END


@pytest.fixture
def closets_rows(mapo, gangnam, make_member, tool_centre, other_centre):
    closet = Place.objects.create(
        slug="mapo-closet", kind="closet", district=mapo, name_ko="옷장", address="x"
    )
    programme = Programme.objects.create(slug="free", name_ko="취업날개")
    coach = Coach.objects.create(user=make_member("coach"))
    members = [make_member(f"renter{n}") for n in range(6)]
    closets_place = closet
    for n, moment in enumerate(MOMENTS):
        for place in (closet, other_centre):
            slot = FittingSlot.objects.create(place=place, starts_at=moment, capacity=5)
            for k, state in enumerate(
                ["rented", "no_show", "cancelled", "booked", "no_rental"][: n + 1]
            ):
                FittingVisit.objects.create(
                    slot=slot, member=members[k], state=state, created_at=moment, changed_at=moment
                )
            Rental.objects.create(
                member=members[n % 3],
                place=place,
                programme=programme,
                purpose="job_interview",
                style="men",
                rented_at=moment,
                due_date=TODAY,
                outcome=["got_job", "waiting", "no", "", "got_job"][n],
            )
            CoachingSession.objects.create(
                coach=coach,
                place=place,
                starts_at=moment + dt.timedelta(seconds=2 * n + (place == closets_place)),
                skill="cv",
                mode="video",
                member=members[n] if n % 2 == 0 else None,
            )
    return closet


def test_closet_figures_match_the_rows(closets_rows, mapo):
    figures = closet_figures(Scope(START, END, district_id=mapo.pk))

    places = set(Place.objects.filter(district=mapo).values_list("pk", flat=True))
    visits = [
        v
        for v in FittingVisit.objects.select_related("slot")
        if v.slot.place_id in places and inside(v.slot.starts_at)
    ]
    rentals = [r for r in Rental.objects.all() if r.place_id in places and inside(r.rented_at)]
    sessions = [
        c
        for c in CoachingSession.objects.all()
        if c.place_id in places and inside(c.starts_at) and c.member_id
    ]
    assert figures.value("fittings") == len(
        [v for v in visits if v.state in ("arrived", "measuring", "fitting", "rented", "no_rental")]
    )
    assert figures.value("fitting_no_shows") == len([v for v in visits if v.state == "no_show"])
    assert figures.value("rentals") == len(rentals) > 0
    assert figures.value("renters") == len({r.member_id for r in rentals})
    assert figures.value("coaching_sessions") == len(sessions)
    for key, outcome in [
        ("outcome_got_job", "got_job"),
        ("outcome_waiting", "waiting"),
        ("outcome_no", "no"),
    ]:
        assert figures.value(key) == len([r for r in rentals if r.outcome == outcome])


def test_desk_figures_match_the_rows(mapo, tool_centre, other_centre, drill, second_drill, staff):
    for n, moment in enumerate(MOMENTS):
        RepairTicket.objects.create(
            item=drill if n % 2 else second_drill,
            place=tool_centre if n < 4 else other_centre,
            status=["open", "resolved", "retired", "resolved", "repairing"][n],
            problem="needs_cleaning" if n in (0, 3) else "damaged",
            opened_at=moment,
            closed_at=moment + dt.timedelta(hours=1) if n in (1, 2, 3) else None,
        )
    Transfer.objects.create(
        item=drill,
        from_place=other_centre,
        to_place=tool_centre,
        status="arrived",
        requested_at=MOMENTS[0],
        arrived_at=MOMENTS[0],
    )
    Transfer.objects.create(
        item=second_drill,
        from_place=tool_centre,
        to_place=other_centre,
        status="arrived",
        requested_at=MOMENTS[1],
        arrived_at=MOMENTS[1],
    )

    figures = desk_figures(Scope(START, END, district_id=mapo.pk))

    tickets = [t for t in RepairTicket.objects.all() if t.place.district_id == mapo.pk]
    assert figures.value("repairs_opened") == len([t for t in tickets if inside(t.opened_at)])
    assert figures.value("repairs_cleaning") == len(
        [t for t in tickets if t.problem == "needs_cleaning" and inside(t.opened_at)]
    )
    assert figures.value("repairs_resolved") == len(
        [t for t in tickets if t.status == "resolved" and inside(t.closed_at)]
    )
    assert figures.value("repairs_retired") == len(
        [t for t in tickets if t.status == "retired" and inside(t.closed_at)]
    )
    assert figures.value("repairs_open_now") == len(
        [t for t in tickets if t.status in ("open", "repairing")]
    )
    assert (figures.value("transfers_in"), figures.value("transfers_out")) == (1, 0)


def test_homeshare_figures_match_the_rows(mapo, gangnam, make_host, make_student, coordinator):
    for n, moment in enumerate(MOMENTS):
        district = mapo if n != 4 else gangnam
        host = make_host(
            f"host{n}",
            district=district,
            submitted_at=moment,
            screened_at=moment + dt.timedelta(days=1),
        )
        student = make_student(f"student{n}", district=district, submitted_at=moment)
        match = Match.objects.create(
            host_application=host,
            student_application=student,
            proposed_by=coordinator,
            proposed_at=moment,
            host_response="accepted",
            student_response="accepted" if n % 2 else "pending",
            status="agreed" if n % 2 else "proposed",
        )
        if n % 2:
            start = moment.date() - dt.timedelta(days=40 * (n - 1))
            Agreement.objects.create(
                match=match,
                status="ended" if n == 3 else "active",
                rent=200_000,
                help_hours=10,
                start_on=start,
                end_on=start + dt.timedelta(days=180),
                created_by=coordinator,
                ended_on=END if n == 3 else None,
            )

    figures = homeshare_figures(Scope(START, END, district_id=mapo.pk))

    apps = [
        a
        for model in (HostApplication, StudentApplication)
        for a in model.objects.filter(district=mapo)
    ]
    matches = [
        m
        for m in Match.objects.select_related("host_application")
        if m.host_application.district_id == mapo.pk
    ]
    agreements = [
        a
        for a in Agreement.objects.select_related("match__host_application")
        if a.match.host_application.district_id == mapo.pk and a.status != "draft"
    ]
    assert figures.value("applications") == len([a for a in apps if inside(a.submitted_at)]) > 0
    assert figures.value("screened") == len([a for a in apps if inside(a.screened_at)])
    assert figures.value("matches_proposed") == len([m for m in matches if inside(m.proposed_at)])
    assert figures.value("matches_accepted") == len(
        [
            m
            for m in matches
            if inside(m.proposed_at) and m.host_response == m.student_response == "accepted"
        ]
    )
    assert figures.value("agreements_active") == len(
        [a for a in agreements if a.start_on <= END and (a.ended_on or a.end_on) >= START]
    )
    assert figures.value("agreements_ended") == len(
        [a for a in agreements if a.ended_on and START <= a.ended_on <= END]
    )


def test_the_public_page_suppresses_small_programme_counts(client, closets_rows, mapo):
    for rental in Rental.objects.filter(place=closets_rows)[:2]:
        rental.delete()
    response = client.get("/city-figures/", {"district": mapo.code})

    closet = next(p for p in response.context["programmes"] if p.key == "closet")
    rentals = closet.value("rentals")
    assert 0 < rentals < 5
    section = response.content.decode().split('id="h-closet"')[1].split("</section>")[0]
    assert "&lt;5" in section
    assert f"<dd>{rentals}</dd>" not in section
