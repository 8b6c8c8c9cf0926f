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
from django.db.models import Count, Exists, OuterRef  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from lending.models import Item, Loan, Occupancy, Place, PlaceRole, Title  # noqa: E402
from lending.rules import rules_for_many  # noqa: E402
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
    "login": (["accounts:login"], ""),  # the floor of a rendered page (issue 13's ratio)
    "reference": (["bench-reference"], ""),  # plain Django full-text search (bench/reference.py)
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


def check_url(name: str, url: str | None, kind: str, sample: dict) -> None:
    """Every URL the load uses must resolve to the view its name says (a wrong kwarg once
    sent the desk scenarios to a 404 and Locust counted nothing)."""
    if url is None:
        return
    from django.urls import resolve as resolve_url

    match = resolve_url(url)
    if kind and sample.get(kind) is not None and kind in match.kwargs:
        assert str(match.kwargs[kind]) == str(sample[kind]), (name, url, match.kwargs)


def lendable_codes(place_id: int, today: object) -> list[str]:
    """Copies at the place a desk can lend to any of the benchmark's members right now: active,
    not out, not booked today, and under a rule that needs no safety briefing (the members have
    none), so a check-out is refused only for the reasons a real desk meets (races)."""
    out = Loan.objects.filter(item=OuterRef("pk"), returned_at__isnull=True)
    busy = Occupancy.objects.filter(item=OuterRef("pk"), start__lte=today, end__gt=today)
    rows = list(
        Item.objects.filter(place_id=place_id, status="active")
        .exclude(Exists(out))
        .exclude(Exists(busy))
        .values_list("code", "title__category_id")[:600]
    )
    rules = rules_for_many({(category, place_id) for _code, category in rows})
    return [code for code, category in rows if not rules[(category, place_id)].requires_briefing][
        :400
    ]


def word_classes(sample: int = 5000) -> dict[str, list[str]]:
    """Search words by class (issue 13): common (in many titles), rare (in one to three),
    a Korean fragment (two syllables from inside a name) and English (a word of a name)."""
    import re
    from collections import Counter

    names = list(Title.objects.order_by("pk").values_list("name_ko", "name_en")[:sample])
    korean = Counter(
        w for ko, _en in names for w in set(ko.split()) if re.fullmatch("[가-힣]{2,}", w)
    )
    english = Counter(
        w for _ko, en in names for w in set(en.lower().split()) if re.fullmatch("[a-z]{4,}", w)
    )
    fragments = sorted({w[1:3] for w in korean if len(w) >= 4})
    return {
        "common": [w for w, _n in korean.most_common(8)],
        "rare": sorted(w for w, n in korean.items() if n <= 3)[:40] or list(korean)[:8],
        "korean_fragment": fragments[:40] or ["드릴"],
        "english": [w for w, _n in english.most_common(12)] or ["drill"],
    }


def main() -> None:
    from django.utils import timezone

    out = Path(sys.argv[1])
    today = timezone.localdate()
    # Members a desk may lend to: verified, nothing overdue (a blocked member is a refusal
    # the benchmark would otherwise measure instead of a check-out).
    overdue = Loan.objects.filter(
        member=OuterRef("pk"), returned_at__isnull=True, due_date__lt=today
    )
    residents = list(
        User.objects.filter(username__startswith="member", is_verified=True, is_active=True)
        .exclude(Exists(overdue))
        .order_by("pk")[:300]
    )
    volunteers = list(User.objects.filter(username__startswith="bench-vol-").order_by("pk")[:60])
    # Staff of one district: the report URL is that district's (at `city` the bench staff are
    # spread over the 25 districts, and staff elsewhere rightly get a 403).
    first_staff = User.objects.filter(username__startswith="bench-staff-").order_by("pk").first()
    staff = (
        list(
            User.objects.filter(
                username__startswith="bench-staff-", district=first_staff.district
            ).order_by("pk")[:5]
        )
        if first_staff
        else []
    )
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
        check_url(scenario, url, kind, sample)
        scenarios[scenario] = {
            "url": url,
            "name": why if url else None,
            "skipped": None if url else why,
        }
    desks: list[dict[str, object]] = []
    codes_at: dict[int, list[str]] = {}
    sharing: dict[int, list[int]] = {}  # place -> its volunteers, in order
    for vol in volunteers:
        sharing.setdefault(place_of.get(vol.pk, 0), []).append(vol.pk)
    for vol in volunteers:
        place_id = place_of.get(vol.pk, 0)
        if place_id not in codes_at:
            codes_at[place_id] = lendable_codes(place_id, today)
        # Desks at one place get disjoint shelves: two desks lending the same copy at once
        # is a refusal of the race, not the time of a check-out.
        colleagues = sharing[place_id]
        free = codes_at[place_id][colleagues.index(vol.pk) :: len(colleagues)]
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
        "word_classes": word_classes(),
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
    shelves = [len(codes) for codes in codes_at.values()]
    print(
        f"  {len(desks)} desks at {len(codes_at)} places, {min(shelves, default=0)}-"
        f"{max(shelves, default=0)} lendable copies a place; {len(residents)} members may borrow"
    )


if __name__ == "__main__":
    main()
