"""Before a load run: log in the benchmark's users and find the pages that exist.

Writes JSON for the locustfile: session cookies per role (made with Django's session store,
so the login rate limit is not what gets measured), and for each scenario the URL, or the
reason it is skipped when its URL name does not exist (yet) in this checkout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from lending.models import Item, Loan, Place, PlaceRole, Title  # noqa: E402
from sharing_city.accounts.models import User  # noqa: E402

# scenario -> candidate URL names (first that reverses wins) and kwargs kind
SCENARIOS: dict[str, tuple[list[str], str]] = {
    "floor": (["core:healthz"], ""),
    "home": (["core:home"], ""),
    "search": (["lending:catalogue"], ""),
    "item": (["lending:title"], "title"),
    "book": (["lending:book"], "title"),
    "my_loans": (["lending:my-loans"], ""),
    "api_search": (["api:lending-titles-list"], ""),
    "desk": (["tool_centres:desk"], "slug"),
    "desk_check_out": (["api:tool-centres-check-out"], "slug"),
    "desk_check_in": (["api:tool-centres-check-in"], "slug"),
    "staff_report": (["reports:staff"], "code"),
    "dashboard": (["reports:public"], ""),
}


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key or ""


def resolve(names: list[str], kind: str, sample: dict) -> tuple[str | None, str]:
    for name in names:
        for kwargs in ({}, {"pk": sample.get(kind)}, {kind: sample.get(kind)}):
            try:
                return reverse(name, kwargs={k: v for k, v in kwargs.items() if v}), name
            except NoReverseMatch:
                continue
    return None, f"no URL named {' or '.join(names)} in this checkout"


def main() -> None:
    out = Path(sys.argv[1])
    residents = list(User.objects.filter(username__startswith="member").order_by("pk")[:300])
    volunteers = list(User.objects.filter(username__startswith="bench-vol-").order_by("pk")[:60])
    staff = list(User.objects.filter(username__startswith="bench-staff-").order_by("pk")[:5])
    popular = list(
        Title.objects.annotate(n=Count("items"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:2000]
    )
    place_of = dict(
        PlaceRole.objects.filter(user__in=volunteers).values_list("user_id", "place_id")
    )
    first_place = Place.objects.filter(pk=next(iter(place_of.values()), 0)).first()
    sample = {
        "title": popular[0] if popular else 1,
        "slug": first_place.slug if first_place else None,
        "code": staff[0].district.code if staff and staff[0].district else None,
    }
    scenarios = {}
    for scenario, (names, kind) in SCENARIOS.items():
        url, why = resolve(names, kind, sample)
        scenarios[scenario] = {
            "url": url,
            "name": why if url else None,
            "skipped": None if url else why,
        }
    desks = []
    for vol in volunteers:
        place_id = place_of.get(vol.pk, 0)
        free = list(
            Item.objects.filter(place_id=place_id, status="active")
            .exclude(loans__returned_at__isnull=True)
            .values_list("code", flat=True)[:400]
        )
        slug = Place.objects.filter(pk=place_id).values_list("slug", flat=True).first()
        desks.append({"session": session_for(vol), "slug": slug, "codes": free})
    titles = Title.objects.filter(pk__in=popular[:200]).values_list("name_ko", flat=True)
    words = [str(name).split()[1] if " " in name else str(name) for name in titles]
    title_places = dict(
        Item.objects.filter(title_id__in=popular, status="active").values_list(
            "title_id", "place_id"
        )
    )
    data = {
        "title_places": title_places,
        "scenarios": scenarios,
        "titles": popular,
        "words": words,
        "residents": [session_for(u) for u in residents],
        "desks": desks,
        "staff": [session_for(u) for u in staff],
        "member_numbers": [u.member_number for u in residents],
        "open_loans": Loan.objects.filter(returned_at__isnull=True).count(),
        "cookie_name": settings.SESSION_COOKIE_NAME,
    }
    out.write_text(json.dumps(data))
    for scenario, info in scenarios.items():
        print(f"  {scenario:<15} {info['url'] or 'SKIPPED: ' + str(info['skipped'])}")


if __name__ == "__main__":
    main()
