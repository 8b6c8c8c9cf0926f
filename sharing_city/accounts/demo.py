"""Demo members, one per role. Demo data only: never created by a migration."""

from __future__ import annotations

from django.conf import settings

from .models import District, Role, User

DEMO_PASSWORD = "sharing-city-demo"
# The demo district is Mapo-gu in Seoul; other cities use their first district.
DEMO_DISTRICT_CODE = {"seoul": "11440"}

DEMO_MEMBERS = [
    # username, role, Korean name, English-speaking?
    ("resident", Role.RESIDENT, "김민지", "ko"),
    ("volunteer", Role.VOLUNTEER, "박서준", "ko"),
    ("coordinator", Role.COORDINATOR, "이하은", "ko"),
    ("staff", Role.STAFF, "최도윤", "ko"),
    ("admin", Role.ADMIN, "정시우", "en"),
]


def demo_district() -> District:
    city = settings.CITY_SLUG
    code = DEMO_DISTRICT_CODE.get(city)
    districts = District.objects.filter(city=city)
    district = districts.filter(code=code).first() if code else None
    return district or districts.order_by("code").first()  # type: ignore[return-value]


def load(stdout=None) -> dict[str, User]:  # type: ignore[no-untyped-def]
    """Create the five demo logins if missing; an existing one is left as it is."""
    district = demo_district()
    members: dict[str, User] = {}
    for username, role, name, language in DEMO_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@demo.sharing.city",
                full_name=name,
                role=role,
                district=district,
                preferred_language=language,
                phone=f"0105555{len(members):04d}",
                is_verified=True,
                is_demo=True,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        members[username] = user
    return members
