"""Demo data of the lending engine: places, categories with rules, a few hundred items,
bookings, loans and overdue loans. Idempotent: keyed by slugs and item codes."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from stdnum import isbn as isbn_check

from sharing_city.accounts.demo import DEMO_PASSWORD
from sharing_city.accounts.models import District, User

from .demo_photos import draw_demo_photos
from .models import (
    Category,
    Closure,
    Item,
    LendingRule,
    Loan,
    OpeningHours,
    Place,
    PlaceRole,
    Title,
)
from .opening import next_open_day

# (slug, kind, district code, Korean name, English name, address)
PLACES = [
    (
        "mapo-tools",
        "tool_centre",
        "11440",
        "마포 공구도서관",
        "Mapo Tool Library",
        "서울특별시 마포구 월드컵로 212",
    ),
    (
        "gangnam-tools",
        "tool_centre",
        "11680",
        "강남 공유센터",
        "Gangnam Sharing Centre",
        "서울특별시 강남구 학동로 426",
    ),
    (
        "seongdong-tools",
        "tool_centre",
        "11200",
        "성동 공구대여소",
        "Seongdong Tool Rental",
        "서울특별시 성동구 왕십리로 270",
    ),
    (
        "nowon-tools",
        "tool_centre",
        "11350",
        "노원 공유센터",
        "Nowon Sharing Centre",
        "서울특별시 노원구 노해로 437",
    ),
    (
        "mapo-apt-library",
        "apartment_library",
        "11440",
        "마포래미안 작은도서관",
        "Mapo Raemian Mini Library",
        "서울특별시 마포구 마포대로 195",
    ),
    (
        "songpa-apt-library",
        "apartment_library",
        "11710",
        "헬리오시티 작은도서관",
        "Helio City Mini Library",
        "서울특별시 송파구 송파대로 345",
    ),
    (
        "gwangjin-closet",
        "closet",
        "11215",
        "광진 열린옷장",
        "Gwangjin Open Closet",
        "서울특별시 광진구 아차산로 200",
    ),
]

# (slug, parent slug, Korean, English, rule kwargs or None to inherit)
CATEGORIES = [
    (
        "tools",
        None,
        "공구",
        "Tools",
        {
            "loan_days": 7,
            "renewal_limit": 1,
            "renewal_days": 7,
            "turnaround_days": 1,
            "max_items_per_member": 3,
        },
    ),
    (
        "power-tools",
        "tools",
        "전동공구",
        "Power tools",
        {
            "loan_days": 3,
            "renewal_limit": 1,
            "renewal_days": 3,
            "turnaround_days": 1,
            "max_items_per_member": 2,
            "requires_verified_member": True,
        },
    ),
    ("drills", "power-tools", "드릴", "Drills", None),
    (
        "saws",
        "power-tools",
        "톱",
        "Saws",
        {
            "loan_days": 3,
            "renewal_limit": 0,
            "renewal_days": 3,
            "turnaround_days": 1,
            "max_items_per_member": 1,
            "requires_briefing": True,
            "requires_verified_member": True,
            "deposit": Decimal(30000),
        },
    ),
    ("hand-tools", "tools", "수공구", "Hand tools", None),
    ("garden", "tools", "정원·청소", "Garden and cleaning", None),
    (
        "travel",
        None,
        "여행용품",
        "Travel",
        {
            "loan_days": 14,
            "renewal_limit": 1,
            "renewal_days": 7,
            "turnaround_days": 1,
            "booking_horizon_days": 90,
        },
    ),
    ("suitcases", "travel", "여행가방", "Suitcases", None),
    ("camping", "travel", "캠핑용품", "Camping gear", None),
    (
        "household",
        None,
        "생활용품",
        "Household",
        {"loan_days": 7, "renewal_limit": 2, "renewal_days": 7},
    ),
    (
        "books",
        None,
        "도서",
        "Books",
        {
            "loan_days": 14,
            "renewal_limit": 2,
            "renewal_days": 14,
            "max_items_per_member": 5,
            "pickup_window_days": 5,
            "booking_horizon_days": 30,
        },
    ),
    (
        "interview-clothing",
        None,
        "면접 의류",
        "Interview clothing",
        {
            "loan_days": 3,  # 3 nights / 4 days (DOMAIN.md); the closet moves it past the interview
            "renewal_limit": 3,
            "renewal_days": 4,
            "max_items_per_member": 6,
            "turnaround_days": 2,
        },
    ),
]

# (category, Korean, English, replacement value KRW, copies per tool centre)
TOOLS = [
    ("drills", "충전식 전동드릴 18V", "Cordless drill 18 V", 120000, 3),
    ("drills", "해머드릴", "Hammer drill", 180000, 2),
    ("drills", "임팩트 드라이버", "Impact driver", 150000, 2),
    ("saws", "원형톱", "Circular saw", 200000, 1),
    ("saws", "직소기", "Jigsaw", 130000, 1),
    ("power-tools", "앵글 그라인더", "Angle grinder", 90000, 1),
    ("power-tools", "원형 샌더", "Random orbital sander", 110000, 2),
    ("power-tools", "글루건", "Hot glue gun", 25000, 2),
    ("power-tools", "열풍기", "Heat gun", 60000, 1),
    ("hand-tools", "가정용 공구세트", "Household tool set", 70000, 3),
    ("hand-tools", "A형 사다리 2m", "Step ladder 2 m", 90000, 2),
    ("hand-tools", "수평계", "Spirit level", 20000, 2),
    ("hand-tools", "타카", "Staple gun", 30000, 2),
    ("hand-tools", "파이프렌치", "Pipe wrench", 35000, 1),
    ("garden", "고압세척기", "Pressure washer", 250000, 1),
    ("garden", "예초기", "String trimmer", 180000, 1),
    ("garden", "스팀청소기", "Steam cleaner", 150000, 1),
    ("garden", "카펫 청소기", "Carpet cleaner", 300000, 1),
    ("suitcases", "여행가방 20인치 기내용", "Suitcase 20 in (cabin)", 120000, 3),
    ("suitcases", "여행가방 28인치", "Suitcase 28 in", 180000, 2),
    ("camping", "4인용 텐트", "Four-person tent", 250000, 1),
    ("camping", "캠핑 의자", "Camping chair", 40000, 3),
    ("camping", "아이스박스 45L", "Cool box 45 L", 60000, 2),
    ("household", "재봉틀", "Sewing machine", 280000, 1),
    ("household", "빔프로젝터", "Projector", 400000, 1),
    ("household", "제습기", "Dehumidifier", 300000, 1),
    ("household", "접이식 테이블", "Folding table", 70000, 2),
]

# (Korean title, English title, author, publisher, year, ISBN-13)
BOOKS = [
    ("채식주의자", "The Vegetarian", "한강", "창비", 2007, "9788936433598"),
    ("소년이 온다", "Human Acts", "한강", "창비", 2014, "9788936434120"),
    ("82년생 김지영", "Kim Jiyoung, Born 1982", "조남주", "민음사", 2016, "9788937473135"),
    ("아몬드", "Almond", "손원평", "창비", 2017, "9788936456788"),
    ("불편한 편의점", "The Inconvenient Convenience Store", "김호연", "나무옆의자", 2021, ""),
    (
        "달러구트 꿈 백화점",
        "The Dallergut Dream Department Store",
        "이미예",
        "팩토리나인",
        2020,
        "",
    ),
    ("사피엔스", "Sapiens", "유발 하라리", "김영사", 2015, "9788934972464"),
    ("코스모스", "Cosmos", "칼 세이건", "사이언스북스", 2006, "9788983711892"),
    ("총 균 쇠", "Guns, Germs, and Steel", "재레드 다이아몬드", "문학사상", 2005, ""),
    ("어린 왕자", "The Little Prince", "앙투안 드 생텍쥐페리", "열린책들", 2015, ""),
    (
        "나미야 잡화점의 기적",
        "The Miracles of the Namiya General Store",
        "히가시노 게이고",
        "현대문학",
        2012,
        "",
    ),
    ("트렌드 코리아 2026", "Trend Korea 2026", "김난도", "미래의창", 2025, ""),
    ("파친코", "Pachinko", "이민진", "인플루엔셜", 2022, ""),
    ("작별하지 않는다", "We Do Not Part", "한강", "문학동네", 2021, ""),
    ("역행자", "The Reverse Walker", "자청", "웅진지식하우스", 2022, ""),
    ("세이노의 가르침", "Sayno's Teachings", "세이노", "데이원", 2023, ""),
    ("흔한남매 1", "Common Siblings 1", "흔한남매", "미래엔아이세움", 2019, ""),
    ("마당을 나온 암탉", "The Hen Who Dreamed She Could Fly", "황선미", "사계절", 2000, ""),
    (
        "해리 포터와 마법사의 돌",
        "Harry Potter and the Philosopher's Stone",
        "J.K. 롤링",
        "문학수첩",
        2019,
        "",
    ),
    ("수학의 정석", "The Principles of Mathematics", "홍성대", "성지출판", 2020, ""),
]

WEEKLY_HOURS = {  # weekday -> (opens, closes); Sunday closed
    0: (10, 19),
    1: (10, 19),
    2: (10, 19),
    3: (10, 19),
    4: (10, 19),
    5: (10, 16),
}
DEMO_BORROWERS = [
    (f"demo-borrower-{i:02d}", name)
    for i, name in enumerate(
        [
            "김서연",
            "이준호",
            "박지민",
            "최유진",
            "정민수",
            "강하늘",
            "조은비",
            "윤도현",
            "장수아",
            "임재현",
            "한소희",
            "오지훈",
        ],
        start=1,
    )
]


def load(stdout=None) -> None:  # type: ignore[no-untyped-def]
    places = load_catalogue()
    _volunteer(places["mapo-tools"])
    _loans_and_bookings(places)
    if settings.DEMO_PHOTOS:  # off in tests: drawing and cutting them is most of a demo load
        draw_demo_photos()  # drawn here by Pillow, nothing downloaded


def load_catalogue() -> dict[str, Place]:
    """Places, categories, titles and copies only (no loans): what the search table reads."""
    places = _places()
    _items(places, _categories())
    return places


def _places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for slug, kind, code, ko, en, address in PLACES:
        district = District.objects.get(city="seoul", code=code)
        place, created = Place.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "district": district,
                "name_ko": ko,
                "name_en": en,
                "address": address,
                "phone": f"02-3153-{len(places) + 1000:04d}",
                "latitude": district.latitude,
                "longitude": district.longitude,
            },
        )
        if created:
            for weekday, (opens, closes) in WEEKLY_HOURS.items():
                OpeningHours.objects.create(
                    place=place, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes)
                )
            Closure.objects.create(place=place, date=dt.date(2026, 12, 25), reason="성탄절")
            Closure.objects.create(place=place, date=dt.date(2027, 1, 1), reason="신정")
        places[slug] = place
    return places


def _categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for slug, parent, ko, en, rule in CATEGORIES:
        category, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name_ko": ko,
                "name_en": en,
                "parent": categories.get(parent) if parent else None,
            },
        )
        categories[slug] = category
        if rule is not None:
            LendingRule.objects.get_or_create(category=category, place=None, defaults=rule)
    return categories


def _items(places: dict[str, Place], categories: dict[str, Category]) -> None:
    tool_centres = [p for p in places.values() if p.kind == "tool_centre"]
    for n, (category, ko, en, value, copies) in enumerate(TOOLS, start=1):
        title, _ = Title.objects.get_or_create(
            name_ko=ko,
            category=categories[category],
            defaults={
                "name_en": en,
                "replacement_value": Decimal(value),
                "description_ko": f"{ko}입니다. 사용 전 상태를 확인하세요.",
                "description_en": f"A {en.lower()}. Please check it before use.",
            },
        )
        for p_index, place in enumerate(tool_centres):
            for copy in range(copies):
                code = f"T{p_index + 1}-{n:03d}-{copy + 1}"
                Item.objects.get_or_create(code=code, defaults={"title": title, "place": place})
    libraries = [p for p in places.values() if p.kind == "apartment_library"]
    for n, (ko, en, author, publisher, year, isbn) in enumerate(BOOKS, start=1):
        title, _ = Title.objects.get_or_create(
            name_ko=ko,
            category=categories["books"],
            defaults={
                "name_en": en,
                "author": author,
                "publisher": publisher,
                "year": year,
                "isbn": isbn if isbn and isbn_check.is_valid(isbn) else "",
                "replacement_value": Decimal(16000),
            },
        )
        for l_index, place in enumerate(libraries):
            for copy in range(1 + (n % 2)):
                code = f"B{l_index + 1}-{n:03d}-{copy + 1}"
                Item.objects.get_or_create(code=code, defaults={"title": title, "place": place})


def _volunteer(place: Place) -> None:
    volunteer = User.objects.filter(username="volunteer").first()
    if volunteer is not None:
        PlaceRole.objects.get_or_create(
            place=place, user=volunteer, defaults={"role": PlaceRole.Role.LEAD}
        )


def _borrowers() -> list[User]:
    borrowers: list[User] = []
    mapo = District.objects.get(city="seoul", code="11440")
    for username, name in DEMO_BORROWERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@demo.sharing.city",
                full_name=name,
                district=mapo,
                is_demo=True,
                is_verified=True,
                phone=f"0107777{len(borrowers):04d}",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        borrowers.append(user)
    return borrowers


def _loans_and_bookings(places: dict[str, Place]) -> None:
    """Some loans out, some overdue, some returned, one booking; only on the first load."""
    if Loan.objects.exists():
        return
    from . import services

    borrowers = _borrowers()
    resident = User.objects.filter(username="resident").first()
    desk = User.objects.filter(username="admin").first()
    rng = random.Random(2012)  # Seoul's sharing city year: the same demo every time
    now = timezone.now()
    mapo_items = list(Item.objects.filter(place=places["mapo-tools"]).order_by("code"))
    # Returned loans over the past months, for history and reports.
    for n, item in enumerate(mapo_items[:30]):
        start = now - dt.timedelta(days=rng.randint(20, 150))
        member = borrowers[n % len(borrowers)]
        services.check_out(
            item=item,
            member=member,
            by=desk,
            backdated_to=start,
            reason="demo history",
            override_block=True,
            now=now,
        )
        services.check_in(
            item=item,
            by=desk,
            backdated_to=start + dt.timedelta(days=rng.randint(1, 9)),
            reason="demo history",
            now=now,
        )
    # Out now, two of them overdue.
    for n, item in enumerate(mapo_items[30:36]):
        days_ago = [2, 1, 3, 12, 20, 0][n]
        services.check_out(
            item=item,
            member=borrowers[n],
            by=desk,
            override_block=True,
            backdated_to=now - dt.timedelta(days=days_ago, hours=1),
            reason="demo loan",
            now=now,
        )
    if resident is not None:
        services.check_out(
            item=mapo_items[36],
            member=resident,
            by=desk,
            now=now,
            override_block=True,
            reason="demo loan",
        )
        # Pickup and return on days the centre is open (bookings refuse closed days).
        pickup = next_open_day(places["mapo-tools"], timezone.localdate(now) + dt.timedelta(days=3))
        services.book(
            member=resident,
            by=resident,
            item=mapo_items[37],
            start=pickup,
            end=next_open_day(places["mapo-tools"], pickup + dt.timedelta(days=1)),
            now=now,
        )
    # A queue hold given a free copy at once: the catalogue shows it "set aside for a booking".
    held = mapo_items[40]
    services.place_hold(
        member=borrowers[0], title=held.title, place=held.place, by=borrowers[0], now=now
    )
