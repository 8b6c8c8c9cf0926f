"""Demo home-share: the commute table, and hosts and students in two districts.

Mapo-gu (the demo coordinator's district) and Seodaemun-gu each get hosts and students; most
are approved so `coordinator` can run matching at once, a few wait for screening. Logins `host`
and `student` have no application yet, to walk the applicant's journey. Approved applicants
carry the two references and the ID check that approval needs; one waiting applicant has one
reference so far. Three more Mapo-gu pairs show each agreement state (see `AGREEMENTS`): one in
its trial month, one in force after it, one ended with a reason, with check-ins done and due.
Safe to run again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from sharing_city.accounts.demo import DEMO_PASSWORD
from sharing_city.accounts.models import District, Role, User

from .models import (
    Agreement,
    AgreementStatus,
    Answer,
    ApplicationStatus,
    CheckIn,
    HostApplication,
    Match,
    MatchStatus,
    ScreeningCheck,
    StudentApplication,
    University,
)
from .selectors import load_commute_file
from .services import check_in_dates

DISTRICTS = ("11440", "11410")  # Mapo-gu, Seodaemun-gu

# username, name, district, birth year, rooms, rent, tasks, hours, extras, status
HOSTS: list[tuple[str, str, str, int, int, int, list[str], int, dict[str, Any], str]] = [
    (
        "hs-host-1",
        "김순자",
        "11440",
        1952,
        1,
        250_000,
        ["conversation", "safety", "shopping"],
        8,
        {"interests": ["cooking", "music"], "help_times": ["weekday_evenings", "weekends"]},
        "approved",
    ),
    (
        "hs-host-2",
        "박영수",
        "11440",
        1948,
        2,
        220_000,
        ["smartphone", "conversation", "errands"],
        10,
        {"interests": ["films", "walking"], "student_gender": "male", "quiet_home": True},
        "approved",
    ),
    (
        "hs-host-3",
        "이정희",
        "11440",
        1957,
        1,
        300_000,
        ["housework", "cooking"],
        6,
        {
            "has_pets": True,
            "pets_description": "고양이 1마리",
            "interests": ["gardening", "reading"],
        },
        "approved",
    ),
    (
        "hs-host-4",
        "최말순",
        "11440",
        1955,
        1,
        200_000,
        ["conversation", "safety"],
        10,
        {"student_gender": "female"},
        "submitted",
    ),
    (
        "hs-host-5",
        "정옥자",
        "11410",
        1950,
        1,
        230_000,
        ["conversation", "shopping", "smartphone"],
        10,
        {"interests": ["music", "travel"]},
        "approved",
    ),
    (
        "hs-host-6",
        "윤병철",
        "11410",
        1946,
        1,
        260_000,
        ["safety", "gardening"],
        8,
        {"smoking_household": True, "interests": ["sports"]},
        "approved",
    ),
]

# username, name, district, university, gender, budget, tasks, hours, extras, status
STUDENTS: list[tuple[str, str, str, str, str, int, list[str], int, dict[str, Any], str]] = [
    (
        "hs-student-1",
        "한지우",
        "11440",
        "hongik",
        "female",
        300_000,
        ["conversation", "shopping", "safety"],
        10,
        {"interests": ["music", "cooking"], "available_times": ["weekday_evenings", "weekends"]},
        "approved",
    ),
    (
        "hs-student-2",
        "오민준",
        "11440",
        "sogang",
        "male",
        260_000,
        ["smartphone", "conversation", "errands"],
        10,
        {"interests": ["films"], "max_commute": 40},
        "approved",
    ),
    (
        "hs-student-3",
        "Lucas Martin",
        "11440",
        "yonsei",
        "male",
        250_000,
        ["smartphone", "conversation"],
        8,
        {"languages": ["en", "fr", "ko"], "interests": ["walking", "films"], "late_nights": True},
        "approved",
    ),
    (
        "hs-student-4",
        "서예린",
        "11440",
        "ewha",
        "female",
        320_000,
        ["housework", "cooking"],
        6,
        {"pet_allergy": True, "interests": ["reading"]},
        "approved",
    ),
    (
        "hs-student-5",
        "Nguyen Thi Mai",
        "11440",
        "hongik",
        "female",
        240_000,
        ["conversation", "cooking"],
        10,
        {"languages": ["vi", "ko", "en"]},
        "submitted",
    ),
    (
        "hs-student-6",
        "강도현",
        "11410",
        "yonsei",
        "male",
        280_000,
        ["conversation", "shopping", "smartphone"],
        10,
        {"interests": ["music"]},
        "approved",
    ),
    (
        "hs-student-7",
        "임수빈",
        "11410",
        "ewha",
        "female",
        250_000,
        ["safety", "gardening"],
        8,
        {"smokes": False},
        "approved",
    ),
]


# host login, host name, student login, student name, days since the start, days since it ended
AGREEMENTS: list[tuple[str, str, str, str, int, int | None]] = [
    ("hs-host-trial", "한정숙", "hs-student-trial", "정하늘", 10, None),
    ("hs-host-active", "오말순", "hs-student-active", "윤지호", 75, None),
    ("hs-host-ended", "서옥자", "hs-student-ended", "문가은", 200, 20),
]
END_REASON = "학생이 졸업 후 고향으로 돌아가 합의에 따라 종료했습니다."


def _checks(app: HostApplication | StudentApplication, by: User, on: date, *, full: bool) -> None:
    """Two confirmed references and a confirmed ID check (or one reference when not `full`)."""
    key = "host_application" if isinstance(app, HostApplication) else "student_application"
    if ScreeningCheck.objects.filter(**{key: app}).exists():
        return
    rows = [
        ("reference", "이웃 박정희", "10년 이웃", "phone"),
        ("reference", "김목사", "다니는 교회", "in_person"),
        ("id", "", "", "document"),
    ]
    for kind, name, relation, method in rows if full else rows[:1]:
        ScreeningCheck.objects.create(
            **{key: app},
            kind=kind,
            referee_name=name,
            referee_relation=relation,
            checked_on=on,
            method=method,
            outcome="confirmed",
            recorded_by=by,
        )


def _agreements(mapo: District, coordinator: User, university: University, today: date) -> int:
    """The three agreement states, rows written directly (the services need a matching run)."""
    made = 0
    for i, (host_login, host_name, student_login, student_name, since, ended) in enumerate(
        AGREEMENTS
    ):
        host_user = _user(host_login, host_name, mapo)
        student_user = _user(student_login, student_name, mapo)
        if HostApplication.objects.filter(applicant=host_user).exists():
            continue
        start = today - timedelta(days=since)
        screened = start - timedelta(days=14)
        host = HostApplication.objects.create(
            applicant=host_user,
            district=mapo,
            status=ApplicationStatus.APPROVED,
            birth_date=date(1948 + i, 6, 1),
            address=f"{mapo.name_ko} 합의로 {i + 1}길 {i + 5}, 20{i}호",
            contact_phone=f"0109100{i:04d}",
            room_size_m2=11,
            rent=200_000,
            help_tasks=["conversation", "shopping"],
            help_hours=8,
            languages=["ko"],
            available_from=start,
            about="데모 호스트입니다.",
            submitted_at=timezone.now(),
            interview_on=screened,
            home_visit_on=screened,
            screened_by=coordinator,
            screened_at=timezone.now(),
        )
        student = StudentApplication.objects.create(
            applicant=student_user,
            district=mapo,
            status=ApplicationStatus.APPROVED,
            university=university,
            enrolment_checked=True,
            gender="female",
            budget=300_000,
            help_tasks=["conversation", "shopping"],
            help_hours=8,
            languages=["ko"],
            available_from=start,
            available_until=start + timedelta(days=365),
            about="데모 학생입니다.",
            submitted_at=timezone.now(),
            interview_on=screened,
            screened_at=timezone.now(),
        )
        for app in (host, student):
            _checks(app, coordinator, screened, full=True)
        match = Match.objects.create(
            host_application=host,
            student_application=student,
            status=MatchStatus.ENDED if ended else MatchStatus.AGREED,
            score=72.0,
            proposed_by=coordinator,
            host_response=Answer.ACCEPTED,
            student_response=Answer.ACCEPTED,
            meeting_on=start - timedelta(days=5),
        )
        end_on = start + timedelta(days=365)
        agreement = Agreement.objects.create(
            match=match,
            status=AgreementStatus.ENDED if ended else AgreementStatus.ACTIVE,
            rent=200_000,
            help_tasks=["conversation", "shopping"],
            help_hours=8,
            start_on=start,
            end_on=end_on,
            created_by=coordinator,
            host_confirmed_at=timezone.now(),
            student_confirmed_at=timezone.now(),
            ended_on=today - timedelta(days=ended) if ended else None,
            end_reason=END_REASON if ended else "",
        )
        last = agreement.ended_on or end_on
        for day in check_in_dates(start, end_on):
            if day > last:
                break
            done = day < today
            CheckIn.objects.create(
                agreement=agreement,
                due_on=day,
                done_on=day if done else None,
                done_by=coordinator if done else None,
                notes="잘 지내고 있음. 저녁을 자주 함께 먹음." if done else "",
            )
        made += 1
    return made


def _district(code: str) -> District | None:
    return District.objects.filter(city=settings.CITY_SLUG, code=code).first()


def _user(username: str, name: str, district: District, role: str = Role.RESIDENT) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            email=f"{username}@demo.sharing.city",
            full_name=name,
            role=role,
            district=district,
            preferred_language="ko",
            is_demo=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load(stdout: Any = None) -> None:
    if settings.CITY_SLUG != "seoul":
        return
    counts = load_commute_file("seoul")
    mapo, seodaemun = _district(DISTRICTS[0]), _district(DISTRICTS[1])
    if mapo is None or seodaemun is None:
        return
    by_code = {"11440": mapo, "11410": seodaemun}
    coordinator = User.objects.filter(username="coordinator").first()
    _user("coordinator-seodaemun", "송미경", seodaemun, Role.COORDINATOR)
    _user("host", "조영자", mapo)
    _user("student", "배서연", mapo)
    today = timezone.localdate()
    created = 0
    for i, (username, name, code, year, rooms, rent, tasks, hours, extra, status) in enumerate(
        HOSTS
    ):
        user = _user(username, name, by_code[code])
        if HostApplication.objects.filter(applicant=user).exists():
            continue
        host = HostApplication.objects.create(
            applicant=user,
            district=by_code[code],
            status=status,
            birth_date=date(year, 3 + i, 10),
            address=f"{by_code[code].name_ko} 데모로 {10 + i}길 {i + 3}, 10{i}호",
            contact_phone=f"0109000{i:04d}",
            rooms=rooms,
            room_size_m2=10 + i,
            rent=rent,
            help_tasks=tasks,
            help_hours=hours,
            languages=["ko"],
            available_from=today,
            min_term_months=6,
            about="데모 호스트입니다. 조용한 집이고 학생과 저녁을 함께 먹는 것을 좋아합니다.",
            submitted_at=timezone.now(),
            interview_on=today - timedelta(days=7) if status == "approved" else None,
            home_visit_on=today - timedelta(days=7) if status == "approved" else None,
            screened_by=coordinator if status == "approved" else None,
            screened_at=timezone.now() if status == "approved" else None,
            **extra,
        )
        if coordinator is not None and status != "draft":
            _checks(host, coordinator, today - timedelta(days=7), full=status == "approved")
        created += 1
    universities = {u.code: u for u in University.objects.filter(city="seoul")}
    for username, name, code, uni, gender, budget, tasks, hours, extra, status in STUDENTS:
        user = _user(username, name, by_code[code])
        if StudentApplication.objects.filter(applicant=user).exists():
            continue
        extra = dict(extra)
        student = StudentApplication.objects.create(
            applicant=user,
            district=by_code[code],
            status=status,
            university=universities[uni],
            enrolment_checked=status == ApplicationStatus.APPROVED,
            gender=gender,
            budget=budget,
            help_tasks=tasks,
            help_hours=hours,
            languages=extra.pop("languages", ["ko"]),
            available_from=today,
            available_until=today + timedelta(days=365),
            about="데모 학생입니다.",
            submitted_at=timezone.now(),
            interview_on=today - timedelta(days=5) if status == "approved" else None,
            screened_at=timezone.now() if status == "approved" else None,
            **extra,
        )
        if coordinator is not None and status == "approved":
            _checks(student, coordinator, today - timedelta(days=5), full=True)
        created += 1
    if coordinator is not None and "hongik" in universities:
        created += _agreements(mapo, coordinator, universities["hongik"], today)
    if stdout is not None:
        stdout.write(
            f"home-share: {counts['commute_times']} commute times, {created} demo applications"
            " (logins host, student, coordinator-seodaemun)"
        )
