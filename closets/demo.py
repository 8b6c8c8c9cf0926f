"""The demo closet: several dozen garments with realistic sizes at Gwangjin Open Closet, suits,
a donor with a letter, a coach with advice sessions, two programmes, fitting slots for the
coming weeks and a history of past renters (so missing measurements can be estimated).
Safe to run again: everything is looked up by a natural key first."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lending import services as lending
from lending.demo_photos import draw_demo_photos
from lending.models import Place, PlaceRole
from sharing_city.accounts.demo import DEMO_PASSWORD, demo_district
from sharing_city.accounts.models import Role, User

from . import services
from .models import Coach, CoachingSession, Garment, Programme, Rental, RentalGarment, Suit

CLOSET = "gwangjin-closet"
PEOPLE = [
    # username, role, name
    ("closet", Role.VOLUNTEER, "한지우"),
    ("donor", Role.RESIDENT, "송미경"),
    ("coach", Role.VOLUNTEER, "배준혁"),
]
LETTER = (
    "이 정장을 입고 저도 첫 면접을 봤습니다. 긴장되겠지만 당신은 충분히 준비되어 있어요. "
    "어깨를 펴고, 천천히 말하세요. 좋은 소식 있기를 바랍니다! — 송미경"
)
COLOURS = ["navy", "charcoal", "black", "navy", "grey", "black"]


def load(stdout: Any = None) -> None:
    place = Place.objects.filter(slug=CLOSET).first()
    if place is None:
        return
    people = _people(place)
    _programmes()
    if not Garment.objects.filter(item__place=place).exists():
        _garments(place, people)
        if settings.DEMO_PHOTOS:  # off in tests, as in lending.demo
            draw_demo_photos()  # the garments' titles get a drawn photo too (nothing downloaded)
    today = timezone.localdate()
    services.create_slots(
        place=place, start=today, end=today + dt.timedelta(days=21), by=people["closet"]
    )
    _sessions(place, people["coach"], today)
    if not Rental.objects.filter(place=place).exists():
        _history(place, people["closet"])
    if stdout is not None:
        count = Garment.objects.filter(item__place=place).count()
        stdout.write(
            f"closets: {count} garments at {place.slug}; logins closet (desk), donor, coach\n"
        )


def _people(place: Place) -> dict[str, User]:
    people = {}
    for username, role, name in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@demo.sharing.city",
                full_name=name,
                role=role,
                district=demo_district(),
                is_verified=True,
                is_demo=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        people[username] = user
    PlaceRole.objects.get_or_create(
        place=place, user=people["closet"], defaults={"role": PlaceRole.Role.LEAD}
    )
    Coach.objects.get_or_create(
        user=people["coach"],
        defaults={
            "skills": ["mock_interview", "cv", "presentation"],
            "bio": "인사 담당 15년, 모의 면접과 자기소개서 코칭",
        },
    )
    return people


def _programmes() -> None:
    Programme.objects.get_or_create(
        slug="seoul-free",
        defaults={
            "name_ko": "서울 취업날개 (무료)",
            "name_en": "Seoul job wings (free)",
            "min_age": 18,
            "max_age": 39,
            "residence_city": "seoul",
            "yearly_quota": 10,
        },
    )
    Programme.objects.get_or_create(
        slug="open-closet",
        defaults={
            "name_ko": "열린옷장 일반 대여",
            "name_en": "Open Closet rental",
            "rental_price": Decimal(30000),
            "extension_fee_percent": 20,
            "late_fee_percent": 30,
        },
    )


def _garments(place: Place, people: dict[str, User]) -> None:
    by = people["closet"]
    donation = services.register_donation(donor=people["donor"], place=place, letter=LETTER, by=by)
    n = 0

    def add(kind: str, colour: str, style: str, **sizes: Any) -> Garment:
        nonlocal n
        n += 1
        code = f"{Garment.LETTERS[kind]}-{n:04d}"
        gift = donation if n % 3 == 0 else None
        return services.add_garment(
            place=place,
            code=code,
            kind=kind,
            colour=colour,
            style=style,
            by=by,
            donation=gift,
            **sizes,
        )

    # Men's suits: chest 90..110, waist 76..96, in steps, a few colours.
    for i in range(14):
        bust = 90 + (i % 7) * 3
        colour = COLOURS[i % len(COLOURS)]
        jacket = add(
            "jacket",
            colour,
            "men",
            bust=bust,
            arm=58 + i % 5,
            topbelly=bust - 6,
            belly=bust - 4,
            length=70 + i % 4,
        )
        waist = 76 + (i % 7) * 3
        trousers = add(
            "trousers",
            colour,
            "men",
            waist=waist,
            hip=waist + 16,
            thigh=56 + i % 6,
            length=98 + i % 6,
            cuff=20 + i % 3,
        )
        Suit.objects.get_or_create(jacket=jacket, bottom=trousers)
    # Women's suits with skirts or trousers.
    for i in range(10):
        bust = 80 + (i % 5) * 3
        colour = COLOURS[(i + 1) % len(COLOURS)]
        jacket = add(
            "jacket",
            colour,
            "women",
            bust=bust,
            arm=55 + i % 4,
            topbelly=bust - 8,
            belly=bust - 6,
            length=60 + i % 3,
        )
        waist = 64 + (i % 5) * 3
        kind = "skirt" if i % 2 else "trousers"
        sizes: dict[str, Any] = {"waist": waist, "hip": waist + 24}
        if kind == "trousers":
            sizes.update(thigh=50 + i % 4, length=94 + i % 5, cuff=19)
        bottom = add(kind, colour, "women", **sizes)
        Suit.objects.get_or_create(jacket=jacket, bottom=bottom)
    for i in range(8):
        add(
            "shirt",
            "white" if i % 2 else "blue",
            "men",
            neck=37 + i % 5,
            bust=96 + i * 2,
            arm=60 + i % 4,
        )
    for i in range(5):
        add("blouse", "white", "women", bust=84 + i * 3, arm=56 + i % 3)
    for colour in ["navy", "stripe", "black", "navy", "stripe", "charcoal"]:
        add("tie", colour, "men")
    for i in range(4):
        add("belt", "black", "unisex", waist=80 + i * 5)
    for i in range(6):
        add(
            "shoes", "black", "men" if i < 4 else "women", foot=250 + i * 10 - (40 if i >= 4 else 0)
        )
    add("coat", "charcoal", "unisex", bust=104, arm=61)
    add("waistcoat", "navy", "men", bust=94, belly=88)


def _sessions(place: Place, coach_user: User, today: dt.date) -> None:
    coach = Coach.objects.get(user=coach_user)
    for offset in range(1, 15):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour, skill, mode in [(11, "mock_interview", "in_person"), (15, "cv", "video")]:
            CoachingSession.objects.get_or_create(
                coach=coach,
                starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
                defaults={"place": place, "skill": skill, "mode": mode},
            )


def _history(place: Place, desk: User) -> None:
    """Past renters of varied build, so estimates of missing measurements have data."""
    rng = random.Random(2012)
    now = timezone.now()
    programme = Programme.objects.get(slug="open-closet")
    jackets = list(Garment.objects.filter(item__place=place, kind="jacket", style="men"))
    for i in range(12):
        member, _ = User.objects.get_or_create(
            username=f"demo-renter-{i:02d}",
            defaults={
                "email": f"demo-renter-{i:02d}@demo.sharing.city",
                "full_name": f"대여자 {i + 1}",
                "district": demo_district(),
                "is_demo": True,
            },
        )
        height, weight = 168 + i % 6 * 3, 60 + i % 6 * 4
        bust = 86 + i % 6 * 4
        garment = jackets[i % len(jackets)]
        start = now - dt.timedelta(days=rng.randint(30, 200))
        loan = lending.check_out(
            item=garment.item,
            member=member,
            by=desk,
            backdated_to=start,
            reason="demo history",
            override_block=True,
            now=now,
        )
        lending.check_in(
            item=garment.item,
            by=desk,
            backdated_to=start + dt.timedelta(days=3),
            reason="demo history",
            now=now,
        )
        with transaction.atomic():
            rental = Rental.objects.create(
                member=member,
                place=place,
                programme=programme,
                purpose="interview",
                interview_date=timezone.localdate(start) + dt.timedelta(days=1),
                measurements={
                    "bust": bust,
                    "waist": bust - 12,
                    "arm": 58 + i % 4,
                    "thigh": 54 + i % 5,
                    "hip": bust + 4,
                    "foot": 260 + i % 4 * 5,
                },
                style="men",
                height=height,
                weight=weight,
                rented_at=start,
                rented_by=desk,
                due_date=loan.due_date,
                returned_at=start + dt.timedelta(days=3),
                price=programme.rental_price,
                fit_feedback="good",
                outcome=["got_job", "no", "waiting"][i % 3],
                outcome_at=now,
            )
            RentalGarment.objects.create(rental=rental, garment=garment, loan=loan)
