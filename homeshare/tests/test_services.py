"""Home-share services: each does its work once, refuses with a reason, and leaves an event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from homeshare import services
from homeshare.exceptions import AgreementRefused, ApplicationRefused, MatchRefused, NotAllowed
from homeshare.models import (
    Agreement,
    CheckIn,
    Event,
    HostApplication,
    Match,
    MatchingRun,
    StudentApplication,
)

pytestmark = pytest.mark.django_db


def host_fields(mapo, today, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "district": mapo,
        "birth_date": date(1955, 1, 2),
        "address": "마포구 어딘가 1",
        "contact_phone": "01012341234",
        "rooms": 1,
        "room_size_m2": 10,
        "rent": 200_000,
        "help_tasks": ["conversation"],
        "help_hours": 8,
        "languages": ["ko"],
        "available_from": today,
    }
    fields.update(extra)
    return fields


# --- Applications ------------------------------------------------------------------------


def test_host_saves_a_draft_then_submits_it(resident, mapo, today):
    draft = services.save_application(
        by=resident, application=HostApplication(), fields=host_fields(mapo, today)
    )
    assert draft.status == "draft"

    submitted = services.save_application(
        by=resident, application=draft, fields={"rent": 210_000}, submit=True
    )

    submitted.refresh_from_db()
    assert submitted.pk == draft.pk
    assert submitted.status == "submitted" and submitted.rent == 210_000
    assert submitted.submitted_at is not None
    assert list(Event.objects.values_list("action", flat=True).order_by("at")) == [
        "saved",
        "submitted",
    ]


def test_submit_refuses_a_host_under_sixty_and_changes_nothing(resident, mapo, today):
    young = today.replace(year=today.year - 59)
    draft = services.save_application(
        by=resident, application=HostApplication(), fields=host_fields(mapo, today)
    )

    with pytest.raises(ApplicationRefused, match="60"):
        services.save_application(
            by=resident, application=draft, fields={"birth_date": young}, submit=True
        )

    draft.refresh_from_db()
    assert draft.status == "draft" and draft.birth_date == date(1955, 1, 2)


def test_a_member_has_one_live_application_of_each_kind(resident, mapo, today):
    services.save_application(
        by=resident, application=HostApplication(), fields=host_fields(mapo, today)
    )

    with pytest.raises(ApplicationRefused):
        services.save_application(
            by=resident, application=HostApplication(), fields=host_fields(mapo, today)
        )

    assert HostApplication.objects.filter(applicant=resident).count() == 1


def test_screened_application_cannot_be_edited(host_app):
    with pytest.raises(ApplicationRefused):
        services.save_application(by=host_app.applicant, application=host_app, fields={"rent": 1})

    host_app.refresh_from_db()
    assert host_app.rent == 250_000


def test_someone_else_cannot_edit_an_application(make_host, other_resident):
    app = make_host(status="draft")

    with pytest.raises(NotAllowed):
        services.save_application(by=other_resident, application=app, fields={"rent": 1})


def test_withdraw_is_idempotent_and_cancels_an_open_proposal(proposed, student_app):
    services.withdraw_application(by=student_app.applicant, application=student_app)
    services.withdraw_application(by=student_app.applicant, application=student_app)

    student_app.refresh_from_db()
    proposed.refresh_from_db()
    assert student_app.status == "withdrawn"
    assert proposed.status == "cancelled"
    assert Event.objects.filter(action="withdrawn").count() == 1


def test_withdraw_is_refused_while_an_agreement_is_in_force(active_agreement, host_app):
    with pytest.raises(ApplicationRefused):
        services.withdraw_application(by=host_app.applicant, application=host_app)

    host_app.refresh_from_db()
    assert host_app.status == "approved"


# --- Screening -----------------------------------------------------------------------------


def test_coordinator_approves_after_interview_and_home_visit(make_host, coordinator, today):
    app = make_host(status="submitted", interview_on=None, home_visit_on=None)
    with pytest.raises(ApplicationRefused, match="interview"):
        services.screen_application(by=coordinator, application=app, approve=True)

    services.record_screening(
        by=coordinator, application=app, interview_on=today, home_visit_on=today
    )
    services.screen_application(by=coordinator, application=app, approve=True)
    services.screen_application(by=coordinator, application=app, approve=True)  # twice: no-op

    app.refresh_from_db()
    assert app.status == "approved" and app.screened_by == coordinator
    assert Event.objects.filter(action="approved").count() == 1


def test_rejection_needs_a_reason_the_applicant_sees(make_student, coordinator):
    app = make_student(status="submitted")
    with pytest.raises(ApplicationRefused):
        services.screen_application(by=coordinator, application=app, approve=False, reason=" ")

    services.screen_application(
        by=coordinator, application=app, approve=False, reason="Enrolment could not be confirmed."
    )

    app.refresh_from_db()
    assert app.status == "rejected"
    assert app.decision_reason == "Enrolment could not be confirmed."


def test_coordinator_of_another_district_cannot_screen(make_host, coordinator_elsewhere):
    app = make_host(status="submitted")

    with pytest.raises(NotAllowed):
        services.screen_application(by=coordinator_elsewhere, application=app, approve=True)

    app.refresh_from_db()
    assert app.status == "submitted"


# --- Matching and proposals ----------------------------------------------------------------


def test_run_matching_shortlists_the_pair_with_reasons_and_matches_nobody(run, host_app):
    candidate = run.candidates.get()

    assert run.hosts_count == 1 and run.students_count == 1
    assert candidate.suggested
    assert 0 < candidate.score <= 110
    assert {r["code"] for r in candidate.reasons} >= {"commute", "tasks", "rent"}
    assert not Match.objects.exists()


def test_run_matching_keeps_every_exclusion_with_its_reasons(
    coordinator, make_host, make_student, today, mapo
):
    make_host(rent=500_000)
    make_student()

    run = services.run_matching(
        by=coordinator, district=mapo, term_start=today, term_end=today + timedelta(days=182)
    )

    assert not run.candidates.exists()
    exclusion = run.exclusions.get()
    assert exclusion.reasons == ["RENT_OVER_BUDGET"]
    assert run.excluded_by_reason["RENT_OVER_BUDGET"] == 1


def test_run_matching_skips_students_already_in_a_match(proposed, coordinator, mapo, today):
    run = services.run_matching(
        by=coordinator, district=mapo, term_start=today, term_end=today + timedelta(days=182)
    )

    assert run.students_count == 0 and run.hosts_count == 0


def test_city_wide_matching_is_for_city_admins_only(coordinator, city_admin, today):
    with pytest.raises(NotAllowed):
        services.run_matching(
            by=coordinator, district=None, term_start=today, term_end=today + timedelta(days=90)
        )

    run = services.run_matching(
        by=city_admin, district=None, term_start=today, term_end=today + timedelta(days=90)
    )
    assert run.district is None


def test_coordinator_of_another_district_cannot_run_matching_there(
    coordinator_elsewhere, mapo, today
):
    with pytest.raises(NotAllowed):
        services.run_matching(
            by=coordinator_elsewhere,
            district=mapo,
            term_start=today,
            term_end=today + timedelta(days=90),
        )
    assert not MatchingRun.objects.exists()


def test_propose_twice_gives_the_same_match(run, coordinator):
    candidate = run.candidates.get()

    first = services.propose_match(by=coordinator, candidate=candidate)
    second = services.propose_match(by=coordinator, candidate=candidate)

    assert first.pk == second.pk
    assert first.status == "proposed"
    assert Event.objects.filter(action="proposed").count() == 1


def test_propose_is_refused_when_the_host_has_no_free_room(
    run, coordinator, make_student, host_app, today
):
    services.propose_match(by=coordinator, candidate=run.candidates.get())
    make_student("student2")
    second_run = services.run_matching(
        by=coordinator,
        district=host_app.district,
        term_start=today,
        term_end=today + timedelta(days=182),
    )
    assert second_run.hosts_count == 0  # the host's only room is taken by the open proposal

    candidate = run.candidates.get()
    candidate.pk = None
    candidate.student_application = StudentApplication.objects.get(applicant__username="student2")
    candidate.save()
    with pytest.raises(MatchRefused, match="free room"):
        services.propose_match(by=coordinator, candidate=candidate)
    assert Match.objects.count() == 1


def test_propose_is_refused_when_the_pair_now_breaks_a_rule(run, coordinator, host_app):
    HostApplication.objects.filter(pk=host_app.pk).update(rent=900_000)

    with pytest.raises(MatchRefused):
        services.propose_match(by=coordinator, candidate=run.candidates.get())

    assert not Match.objects.exists()


def test_both_accepting_opens_the_proposal(accepted):
    accepted.refresh_from_db()

    assert accepted.status == "accepted"
    assert accepted.address_visible_to_student


def test_one_acceptance_keeps_the_address_hidden(proposed, host_app):
    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)

    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert not proposed.address_visible_to_student


def test_decline_needs_a_reason_and_closes_the_proposal(proposed, student_app):
    with pytest.raises(MatchRefused):
        services.respond_to_match(by=student_app.applicant, match=proposed, accept=False)

    services.respond_to_match(
        by=student_app.applicant, match=proposed, accept=False, reason="Too far from campus."
    )
    services.respond_to_match(
        by=student_app.applicant, match=proposed, accept=False, reason="again"
    )

    proposed.refresh_from_db()
    assert proposed.status == "declined"
    assert proposed.student_reason == "Too far from campus."


def test_a_stranger_cannot_answer_a_proposal(proposed, other_resident):
    with pytest.raises(NotAllowed):
        services.respond_to_match(by=other_resident, match=proposed, accept=True)


# --- Agreement, check-ins, ending -----------------------------------------------------------


def test_agreement_needs_the_introduction_meeting(accepted, coordinator, today):
    with pytest.raises(AgreementRefused):
        services.create_agreement(
            by=coordinator, match=accepted, rent=1, help_tasks=[], help_hours=1, start_on=today
        )
    assert not Agreement.objects.exists()


def test_agreement_in_force_after_both_confirm_with_weekly_then_monthly_check_ins(
    active_agreement, today
):
    active_agreement.refresh_from_db()

    assert active_agreement.status == "active"
    assert active_agreement.end_on == services.add_months(today, 6)
    assert active_agreement.match.status == "agreed"
    dues = list(CheckIn.objects.values_list("due_on", flat=True))
    assert dues[:4] == [today + timedelta(days=7 * w) for w in range(1, 5)]
    assert dues[4:] == [services.add_months(today, n) for n in range(2, 6)]


def test_confirming_twice_is_harmless(active_agreement, host_app):
    services.confirm_agreement(by=host_app.applicant, agreement=active_agreement)

    assert CheckIn.objects.count() == 8


def test_extend_adds_monthly_check_ins(active_agreement, coordinator):
    new_end = services.add_months(active_agreement.end_on, 6)

    services.extend_agreement(by=coordinator, agreement=active_agreement, new_end_on=new_end)
    services.extend_agreement(by=coordinator, agreement=active_agreement, new_end_on=new_end)

    active_agreement.refresh_from_db()
    assert active_agreement.end_on == new_end and active_agreement.extensions == 1
    assert CheckIn.objects.count() == 14


def test_ending_frees_the_room_so_the_host_can_be_matched_again(
    active_agreement, coordinator, make_student, host_app, today
):
    services.end_agreement(
        by=coordinator, agreement=active_agreement, ended_on=today, reason="Graduated early."
    )

    active_agreement.refresh_from_db()
    assert active_agreement.status == "ended" and active_agreement.end_reason == "Graduated early."
    assert not CheckIn.objects.filter(due_on__gt=today, done_on__isnull=True).exists()
    make_student("student2")
    run = services.run_matching(
        by=coordinator,
        district=host_app.district,
        term_start=today,
        term_end=today + timedelta(days=182),
    )
    assert run.hosts_count == 1


def test_record_check_in_with_a_concern(active_agreement, coordinator, today):
    check_in = active_agreement.check_ins.first()

    services.record_check_in(
        by=coordinator, check_in=check_in, done_on=today, notes="Fine.", concern=True
    )

    check_in.refresh_from_db()
    assert check_in.done_on == today and check_in.concern and check_in.done_by == coordinator
    assert Event.objects.filter(action="check_in_recorded").exists()


def test_coordinator_of_another_district_cannot_end_an_agreement(
    active_agreement, coordinator_elsewhere, today
):
    with pytest.raises(NotAllowed):
        services.end_agreement(
            by=coordinator_elsewhere, agreement=active_agreement, ended_on=today, reason="x"
        )
    active_agreement.refresh_from_db()
    assert active_agreement.status == "active"


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("en"):
        yield
