"""Reads: profiles for the matcher, the commute table, and what each page lists."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from sharing_city.accounts.models import District

from . import matching
from .models import (
    OPEN_MATCH_STATUSES,
    Agreement,
    AgreementStatus,
    Candidate,
    CheckIn,
    CommuteTime,
    HostApplication,
    Match,
    MatchingRun,
    MatchStatus,
    StudentApplication,
    University,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


# --- The commute table ---------------------------------------------------------------------


def load_commute_file(city: str) -> dict[str, int]:
    """Create the shipped universities and commute minutes that are missing; staff edits stay.

    Returns counts. Districts must be loaded first (load_city); unknown codes are skipped.
    """
    path = DATA_DIR / f"commute_{city}.json"
    if not path.exists():
        return {"universities": 0, "commute_times": 0}
    data = json.loads(path.read_text(encoding="utf-8"))
    districts = {d.code: d for d in District.objects.filter(city=city)}
    universities = {}
    created_unis = 0
    for row in data["universities"]:
        uni, created = University.objects.get_or_create(
            city=city,
            code=row["code"],
            defaults={
                "name_ko": row["name_ko"],
                "name_en": row["name_en"],
                "district": districts.get(row.get("district", "")),
            },
        )
        universities[uni.code] = uni
        created_unis += created
    existing = set(
        CommuteTime.objects.filter(university__city=city).values_list(
            "district__code", "university__code"
        )
    )
    new_rows = [
        CommuteTime(district=districts[code], university=universities[uni], minutes=minutes)
        for code, row in data["minutes"].items()
        if code in districts
        for uni, minutes in row.items()
        if uni in universities and (code, uni) not in existing
    ]
    CommuteTime.objects.bulk_create(new_rows)
    return {"universities": created_unis, "commute_times": len(new_rows)}


def commute_table(city: str | None = None) -> dict[tuple[str, str], int]:
    rows = CommuteTime.objects.all()
    if city:
        rows = rows.filter(university__city=city)
    return {
        (district, uni): minutes
        for district, uni, minutes in rows.values_list(
            "district__code", "university__code", "minutes"
        )
    }


# --- Profiles for the matcher ----------------------------------------------------------------


def host_profile(app: HostApplication, *, free_rooms: int | None = None, on: date) -> matching.Host:
    return matching.Host(
        id=app.pk,
        district=app.district.code,
        capacity=app.rooms if free_rooms is None else free_rooms,
        rent=app.rent,
        available_from=app.available_from,
        available_until=app.available_until,
        min_term_months=app.min_term_months,
        help_tasks=frozenset(app.help_tasks),
        help_hours=app.help_hours,
        help_times=frozenset(app.help_times),
        smoking_household=app.smoking_household,
        has_pets=app.has_pets,
        student_gender=app.student_gender,
        quiet_home=app.quiet_home,
        meals=app.meals,
        languages=frozenset(app.languages),
        interests=frozenset(app.interests),
        eligible=app.status == "approved" and app.age(on) >= HostApplication.MIN_AGE,
    )


def student_profile(app: StudentApplication) -> matching.Student:
    return matching.Student(
        id=app.pk,
        university=app.university.code,
        gender=app.gender,
        budget=app.budget,
        available_from=app.available_from,
        available_until=app.available_until,
        districts=frozenset(d.code for d in app.accepted_districts.all()),
        max_commute=app.max_commute,
        help_tasks=frozenset(app.help_tasks),
        help_hours=app.help_hours,
        available_times=frozenset(app.available_times),
        smokes=app.smokes,
        accepts_smoking_home=app.accepts_smoking_home,
        pet_allergy=app.pet_allergy,
        late_nights=app.late_nights,
        meals=app.meals,
        languages=frozenset(app.languages),
        interests=frozenset(app.interests),
        eligible=app.status == "approved" and app.enrolment_checked,
    )


def hosts_with_free_rooms(districts: QuerySet[District]) -> list[tuple[HostApplication, int]]:
    """Approved hosts in these districts and how many rooms are not in an open match."""
    hosts = (
        HostApplication.objects.approved()
        .in_districts(districts)
        .select_related("district")
        .annotate(taken=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES)))
        .order_by("pk")
    )
    return [(h, h.rooms - h.taken) for h in hosts if h.rooms > h.taken]  # type: ignore[attr-defined]


def unmatched_students(districts: QuerySet[District]) -> QuerySet[StudentApplication]:
    return (
        StudentApplication.objects.approved()
        .in_districts(districts)
        .exclude(matches__status__in=OPEN_MATCH_STATUSES)
        .select_related("district", "university")
        .prefetch_related("accepted_districts")
        .order_by("pk")
    )


# --- Pages ---------------------------------------------------------------------------------


def coordinator_dashboard(
    districts: QuerySet[District], today: date, *, city_runs: bool = False
) -> dict[str, Any]:
    """What a coordinator works on: applications, runs, open matches, agreements, check-ins."""
    hosts = HostApplication.objects.in_districts(districts).exclude(status="draft")
    students = StudentApplication.objects.in_districts(districts).exclude(status="draft")
    return {
        "host_applications": hosts.select_related("applicant", "district").order_by(
            "status", "-submitted_at"
        ),
        "student_applications": students.select_related(
            "applicant", "district", "university"
        ).order_by("status", "-submitted_at"),
        "runs": MatchingRun.objects.filter(
            Q(district__in=districts) | (Q(district__isnull=True) if city_runs else Q(pk=None))
        ).select_related("district")[:5],
        "matches": Match.objects.in_districts(districts)
        .filter(status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED])
        .select_related(
            "host_application__applicant", "student_application__applicant", "agreement"
        ),
        "agreements": Agreement.objects.filter(
            match__host_application__district__in=districts,
            status__in=[AgreementStatus.DRAFT, AgreementStatus.ACTIVE],
        ).select_related(
            "match__host_application__applicant", "match__student_application__applicant"
        ),
        "check_ins_due": CheckIn.objects.filter(
            agreement__match__host_application__district__in=districts,
            agreement__status=AgreementStatus.ACTIVE,
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=14),
        )
        .select_related(
            "agreement__match__host_application__applicant",
            "agreement__match__student_application__applicant",
        )
        .prefetch_related("reminders"),
    }


def run_shortlists(run: MatchingRun) -> dict[str, Any]:
    """A run's shortlist grouped per host and per student, best first."""
    candidates = list(
        Candidate.objects.filter(run=run).select_related(
            "host_application__applicant",
            "host_application__district",
            "student_application__applicant",
            "student_application__university",
        )
    )
    proposed = set(Match.objects.filter(candidate__run=run).values_list("candidate_id", flat=True))
    by_host: dict[int, list[Candidate]] = {}
    by_student: dict[int, list[Candidate]] = {}
    for c in candidates:
        c.already_proposed = c.pk in proposed  # type: ignore[attr-defined]
        by_host.setdefault(c.host_application_id, []).append(c)
        by_student.setdefault(c.student_application_id, []).append(c)
    exclusions = run.exclusions.select_related(
        "host_application__applicant", "student_application__applicant"
    ).order_by("host_application_id", "student_application_id")
    return {
        "by_host": [(items[0].host_application, items) for items in by_host.values()],
        "by_student": [(items[0].student_application, items) for items in by_student.values()],
        "exclusions": exclusions,
    }


def matches_for_member(user: Any) -> QuerySet[Match]:
    return (
        Match.objects.for_member(user)
        .select_related(
            "host_application__district",
            "student_application__university",
            "host_application__applicant",
            "student_application__applicant",
        )
        .select_related("agreement")
    )
