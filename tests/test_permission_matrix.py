"""Every URL and API operation x every persona -> the status they get, derived from rules.

ROLES says who is who in the test world (which persona works at which place, coordinates
which district, owns which objects); RULES says, per URL name and method, which role may
act and what everyone gets: `S("desk", 200)` means the tool centre's desk people get 200,
everyone else signed in 403 (`other=`), anonymous visitors 302 to the login page (`anon=`).
The nine statuses of each row are computed from those two tables, never recorded from what
the code does. A URL name without a rule fails `test_every_url_has_a_rule`, so a new page
cannot ship without someone deciding who may use it; `test_a_rule_changed_*` show that the
check fails when the code and the table disagree, either way round.

The world (tests/personas.py) is built once per app group, and each persona's request runs in
a savepoint that is rolled back, so every request meets the same world.
`resident` owns the objects (loan, hold, closet visit and rental, home-share application);
`volunteer` works at `tool_centre` (Mapo-gu), `volunteer_elsewhere` at `other_centre`
(Gangnam-gu); `staff` and `coordinator` are Mapo-gu's, `staff_elsewhere` Gangnam-gu's.
URLs of objects the world does not build use a missing id (MISSING): they prove the refusal
comes before (or instead of) a server error. POST-only views answer GET with 405; a POST with
no data is refused with a 4xx (or, for the few safe actions that need no data, does them).
"""

# ruff: noqa: F811, E501 - fixtures imported from tests.personas; the table's rows are long
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from closets.outcomes import token_for as outcome_token
from sharing_city.accounts.phone import display
from tests.personas import (  # noqa: F401 - fixtures
    PERSONAS,
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)

MISSING = 999999


def url_names() -> Iterator[tuple[str, list[str]]]:
    """(namespaced name, its URL kwargs) for every named URL pattern, recursively."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, list(pattern.pattern.regex.groupindex)

    seen: dict[str, list[str]] = {}
    for name, keys in walk(get_resolver().url_patterns, ""):
        seen.setdefault(name, keys)
    yield from seen.items()


ALL_URLS = dict(url_names())
# The admin site's URLs are generated per registered model; they share one rule (below).
ADMIN = {name for name in ALL_URLS if name.startswith("admin:")}

# --- How to fill each URL's kwargs from the world --------------------------------------------

KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "core:programme": lambda w: {"slug": "tools"},
    "accounts:password-reset-confirm": lambda w: {"uidb64": "MQ", "token": "bad-token"},
    "lending:title": lambda w: {"pk": w.title.pk},
    "lending:book": lambda w: {"pk": w.title.pk},
    "lending:join-queue": lambda w: {"pk": w.title.pk},
    "lending:upload-photo": lambda w: {"pk": w.title.pk},
    "lending:cancel-booking": lambda w: {"pk": w.booking.pk},
    "lending:renew": lambda w: {"pk": w.loan.pk},
    "tool_centres:renew": lambda w: {"slug": w.tool_centre.slug, "pk": w.loan.pk},
    "tool_centres:choose-member": lambda w: {
        "slug": w.tool_centre.slug,
        "number": w.users["resident"].member_number,
    },
    "api:lending-renew": lambda w: {"pk": w.loan.pk},
    "api:lending-cancel": lambda w: {"pk": w.booking.pk},
    "api:lending-titles-detail": lambda w: {"pk": w.title.pk},
    "api:lending-title-tips": lambda w: {"pk": w.title.pk},
    "api:lending-title-photos": lambda w: {"pk": w.title.pk},
    "lending:leave-tip": lambda w: {"pk": w.title.pk},
    "lending:save-to-list": lambda w: {"pk": w.title.pk},
    "api:lending-titles-availability": lambda w: {"pk": w.title.pk},
    "api:lending-items-detail": lambda w: {"pk": w.item.pk},
    "api:lending-my-bookings-detail": lambda w: {"pk": w.booking.pk},
    "api:lending-my-loans-detail": lambda w: {"pk": w.loan.pk},
    "reports:export": lambda w: {"code": "11440", "table": "places", "fmt": "csv"},
    "reports:staff": lambda w: {"code": "11440"},
    "closets:cancel-visit": lambda w: {"pk": w.visit.pk},
    "closets:desk-visit": lambda w: {"pk": w.visit.pk},
    "closets:rental": lambda w: {"pk": w.rental.pk},
    "closets:desk-rental": lambda w: {"pk": w.rental.pk},
    "closets:outcome-answer": lambda w: {"token": outcome_token(w.rental)},
    "homeshare:application": lambda w: {"kind": "host", "pk": w.host_application.pk},
    "homeshare:withdraw": lambda w: {"kind": "host", "pk": w.host_application.pk},
    "homeshare:review": lambda w: {"kind": "host", "pk": w.host_application.pk},
    "api:homeshare-host-application": lambda w: {"pk": w.host_application.pk},
    "homeshare:match": lambda w: {"pk": w.match.pk},
    "api:homeshare-match": lambda w: {"pk": w.match.pk},
    "api:closets-offer-slots": lambda w: {"slug": w.closet.slug},
    "api:closets-add-garment": lambda w: {"slug": w.closet.slug},
    "homeshare:agreement": lambda w: {"pk": w.agreement.pk},
    "homeshare:confirm-agreement": lambda w: {"pk": w.agreement.pk},
    "homeshare:leave-reference": lambda w: {"pk": w.agreement.pk},
    "api:homeshare-leave-reference": lambda w: {"pk": w.agreement.pk},
    "tool_centres:place-change": lambda w: {"slug": w.tool_centre.slug, "what": "hours"},
    "tool_centres:place-remove": lambda w: {
        "slug": w.tool_centre.slug,
        "what": "hours",
        "pk": w.opening_hours.pk,
    },
}


def kwargs_for(name: str, keys: list[str], w: World) -> dict[str, Any]:
    if name in KWARGS:
        return KWARGS[name](w)
    app = name.split(":")[0]
    values: dict[str, Any] = {}
    for key in keys:
        if key == "slug":
            values[key] = w.closet.slug if app == "closets" else w.tool_centre.slug
        elif key == "code":
            values[key] = w.item.code
        elif key == "kind":
            values[key] = "host"
        elif key in ("action",):
            values[key] = "start"
        elif key == "token":
            values[key] = "not-a-token"
        elif key == "object_id":
            values[key] = str(MISSING)
        elif key == "app_label":
            values[key] = "lending"
        else:
            values[key] = MISSING
    return values


# --- Who is who, and the rules ---------------------------------------------------------------

# Each role: the personas it holds in the world, and why (the access rule it stands for).
ROLES: dict[str, frozenset[str]] = {
    # Signed in at all.
    "member": frozenset(PERSONAS) - {"anonymous"},
    # The resident owns the loan, the hold, the closet visit and rental, the applications.
    "owner": frozenset({"resident"}),
    # Works at tool_centre (Mapo-gu): its volunteer, Mapo-gu's staff, a city admin.
    "desk": frozenset({"volunteer", "staff", "city_admin"}),
    # The owner, or the desk of the object's place (a loan or hold at tool_centre).
    "owner_or_desk": frozenset({"resident", "volunteer", "staff", "city_admin"}),
    # Works at some desk, anywhere.
    "any_desk": frozenset(
        {"volunteer", "volunteer_elsewhere", "staff", "staff_elsewhere", "city_admin"}
    ),
    # Works at exactly one place (sent straight to it).
    "one_place": frozenset({"volunteer", "volunteer_elsewhere", "staff_elsewhere"}),
    # Coordinates home-share in Mapo-gu: its coordinator, a city admin.
    "coordinator": frozenset({"coordinator", "city_admin"}),
    # Staff of Mapo-gu (its places, its closet, its reports), a city admin.
    "district_staff": frozenset({"staff", "city_admin"}),
    # Manages tool_centre's roster and hours: its leads (none here), district staff, admin.
    "place_manager": frozenset({"staff", "city_admin"}),
    # City-wide settings every district's figures read (impact factors): city admins only.
    "city_admin": frozenset({"city_admin"}),
    # Staff of any district.
    "any_staff": frozenset({"staff", "staff_elsewhere", "city_admin"}),
    # Staff of the Mapo closet (district staff of Mapo-gu), a city admin.
    "closet_staff": frozenset({"staff", "city_admin"}),
    # The renter of the visit, or the closet's staff.
    "owner_or_closet_staff": frozenset({"resident", "staff", "city_admin"}),
    # The match's host (resident) and student (other_resident), or its district's coordinator.
    "match_side_or_coordinator": frozenset(
        {"resident", "other_resident", "coordinator", "city_admin"}
    ),
    # The match's two sides.
    "match_side": frozenset({"resident", "other_resident"}),
    # The applicant, or a coordinator of the application's district (Mapo-gu).
    "owner_or_coordinator": frozenset({"resident", "coordinator", "city_admin"}),
}


@dataclass(frozen=True)
class S:
    """One method of one URL: `role` gets `ok`, the other signed-in personas `other`,
    anonymous visitors `anon` (302: the login page)."""

    role: str
    ok: int
    other: int = 403
    anon: int = 302

    def status(self, persona: str) -> int:
        if persona == "anonymous":
            return self.anon
        return self.ok if persona in ROLES[self.role] else self.other


def everyone(status: int) -> S:
    return S("member", status, anon=status)


# name -> (GET, POST with no data). Notes for the cells that need a reason:
# - lending:renew / api:lending-renew: the loan's owner and its desk get 409 (their own hold
#   waits on the title: renewal refused with the reason); the others 404.
# - accounts:login and accounts:password-reset re-render the form with errors (400).
# - tool_centres:my-places: one place -> straight to its desk (302); others see the list.
# - core:healthz answers POST too (a probe endpoint with no side effects).
# - tool_centres:check-close-out: nothing closed today in the world, so nothing to check (409).
# - closets:outcome-answer: the signed link is the key, no sign-in; a POST with no data is
#   read as no form at all (`POST or None`): the question again, 200.
# - closets:desk-rental: a POST with no data is read as no form at all (`POST or None`): 200.
# - *-detail of objects the world does not build: 404 for everyone who passes the role check.
# fmt: off
RULES: dict[str, tuple[S, S]] = {
    "voice:list": (S("member", 200), everyone(405)),
    "voice:create": (S("member", 200), S("member", 400)),
    "voice:inbox": (S("any_desk", 200), everyone(405)),
    "voice:detail": (S("member", 404), everyone(405)),
    "voice:me-too": (everyone(405), S("member", 404)),
    "voice:answer": (everyone(405), S("member", 404)),
    "voice:status": (everyone(405), S("member", 404)),
    "voice:merge": (everyone(405), S("member", 404)),
    "voice:hold": (everyone(405), S("member", 404)),
    "api:voice-asks-list": (S("member", 200, anon=403), S("member", 400, anon=403)),
    "api:voice-asks-detail": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:voice-inbox-list": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:voice-me-too": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:voice-answer": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:voice-status": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:voice-merge": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:voice-hold": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "accounts:coordinator-home": (S("coordinator", 200), S("coordinator", 200)),
    "accounts:landing": (S("member", 302), S("member", 302)),
    "accounts:login": (S("member", 302, anon=200), S("member", 302, anon=400)),
    "accounts:logout": (everyone(405), S("member", 302)),
    "accounts:password-change": (S("member", 200), S("member", 400)),
    "accounts:password-change-done": (S("member", 200), S("member", 405)),
    "accounts:password-reset": (everyone(200), everyone(400)),
    "accounts:password-reset-complete": (everyone(200), everyone(405)),
    "accounts:password-reset-confirm": (everyone(200), everyone(200)),
    "accounts:password-reset-done": (everyone(200), everyone(405)),
    "accounts:profile": (S("member", 200), S("member", 200)),
    "accounts:my-data": (S("member", 200), S("member", 405)),
    "accounts:my-data-json": (S("member", 200), S("member", 405)),
    # close-account: a POST without the confirmation box is refused (400); nobody is closed.
    "accounts:close-account": (S("member", 200), S("member", 400)),
    # Members who agreed to the current versions are sent on (302) by the consent page.
    "accounts:consent": (S("member", 302), S("member", 302)),
    "accounts:terms": (everyone(200), everyone(405)),
    "accounts:privacy": (everyone(200), everyone(405)),
    "accounts:signup": (S("member", 302, anon=200), S("member", 302, anon=200)),
    "accounts:signup-sent": (everyone(200), everyone(405)),
    # A token that is not one (the matrix's missing id): the link no longer works, 400.
    "accounts:confirm-email": (everyone(400), everyone(405)),
    "accounts:resend-confirmation": (S("member", 405), S("member", 302)),
    "accounts:staff-home": (S("any_staff", 200), S("any_staff", 200)),
    "accounts:access-log": (S("city_admin", 200), S("member", 405)),
    "accounts:volunteer-home": (S("any_desk", 200), S("any_desk", 200)),
    "api-docs": (everyone(200), everyone(405)),
    "api-schema": (everyone(200), everyone(405)),
    "api:accounts-districts": (everyone(200), everyone(405)),
    "api:accounts-me": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:accounts-me-export": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:accounts-me-consent": (S("member", 200, anon=403), S("member", 400, anon=403)),
    "api:accounts-me-confirmation": (S("member", 405, anon=403), S("member", 200, anon=403)),
    "api:closets-book-fitting": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:closets-garments-detail": (everyone(404), everyone(405)),
    "api:closets-garments-list": (everyone(200), everyone(405)),
    "api:closets-suggestions": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:homeshare-confirm-agreement": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:homeshare-leave-reference": (
        S("member", 405, anon=403),
        S("match_side", 400, other=404, anon=403),
    ),
    "api:homeshare-application-checks": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-application-decide": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-host-application": (S("owner_or_coordinator", 200, anon=403), S("member", 405, anon=403)),
    "api:homeshare-host-applications": (S("member", 200, anon=403), S("member", 400, anon=403)),
    "api:homeshare-match": (S("match_side_or_coordinator", 200, anon=403), S("member", 405, anon=403)),
    "api:homeshare-matches": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:homeshare-propose": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:homeshare-respond": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:homeshare-run": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:homeshare-runs": (S("member", 405, anon=403), S("coordinator", 400, anon=403)),
    "api:homeshare-student-application": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:homeshare-student-applications": (S("member", 200, anon=403), S("member", 400, anon=403)),
    "api:lending-book": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:lending-cancel": (S("member", 405, anon=403), S("owner", 200, other=404, anon=403)),
    "api:lending-check-in": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:lending-check-out": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:lending-book-kit": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:lending-kits-detail": (everyone(404), everyone(405)),
    "api:lending-kits-list": (everyone(200), everyone(405)),
    "api:lending-title-tips": (everyone(200), S("member", 400, anon=403)),
    # The world's title has copies at both tool centres: every desk may add its photo.
    "api:lending-title-photos": (S("member", 405, anon=403), S("any_desk", 400, anon=403)),
    "api:lending-import": (S("member", 405, anon=403), S("any_desk", 400, anon=403)),
    "api:lending-items-detail": (everyone(200), everyone(405)),
    "api:lending-items-list": (everyone(200), everyone(405)),
    "api:lending-join-queue": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:lending-my-bookings-detail": (S("owner", 200, other=404, anon=403), S("member", 405, anon=403)),
    "api:lending-my-bookings-list": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:lending-my-loans-detail": (S("owner", 200, other=404, anon=403), S("member", 405, anon=403)),
    "api:lending-my-loans-list": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:lending-renew": (S("member", 405, anon=403), S("owner_or_desk", 409, other=404, anon=403)),
    "api:lending-titles-availability": (everyone(200), everyone(405)),
    "api:lending-titles-detail": (everyone(200), everyone(405)),
    "api:lending-titles-list": (everyone(200), everyone(405)),
    "api:reports-open-data": (everyone(200), everyone(405)),
    # City-wide settings: city admins only, checked before the category (missing: 404).
    "api:reports-impact-factor": (S("member", 405, anon=403), S("city_admin", 404, anon=403)),
    "api:root": (everyone(200), everyone(405)),
    # Issue 17's API parity (ids missing from the world: the refusal before any 5xx).
    "api:accounts-token": (everyone(405), everyone(400)),
    "api:accounts-password": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:accounts-me-profile": (S("member", 405, anon=403), S("member", 400, anon=403)),
    # Signing up is for visitors: a member signed in is refused (403); an empty body is 400.
    "api:accounts-signup": (everyone(405), S("member", 403, anon=400)),
    "api:lending-mark-tip": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:lending-hide-tip": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:lending-my-lists": (S("member", 200, anon=403), S("member", 400, anon=403)),
    "api:closets-measurements": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:closets-my-fittings": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:closets-cancel-fitting": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-book-advice": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-my-rentals": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:closets-rental": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:closets-extend": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-feedback": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-outcome": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-return": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-rent": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-visit-state": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-garment-care": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:closets-offer-slots": (S("member", 405, anon=403), S("closet_staff", 201, anon=403)),
    "api:closets-add-garment": (S("member", 405, anon=403), S("closet_staff", 400, anon=403)),
    # An empty offer is refused before anyone is asked whether they coach (400); the notes of
    # a session the world does not hold: 404.
    "api:closets-offer-session": (S("member", 405, anon=403), S("member", 400, anon=403)),
    "api:closets-session-notes": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:homeshare-withdraw": (S("member", 405, anon=403), S("member", 404, anon=403)),
    "api:homeshare-screening": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-meeting": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-create-agreement": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-agreements": (S("member", 200, anon=403), S("member", 405, anon=403)),
    # Staff of any district (the table is the city's); a row the world does not hold: 404.
    "api:homeshare-commute": (S("member", 405, anon=403), S("any_staff", 404, anon=403)),
    "api:homeshare-agreement": (S("member", 404, anon=403), S("member", 405, anon=403)),
    "api:homeshare-extend-agreement": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-end-agreement": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:homeshare-record-check-in": (S("member", 405, anon=403), S("coordinator", 404, anon=403)),
    "api:notifications-notices": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:notifications-channels": (S("member", 200, anon=403), S("member", 405, anon=403)),
    # An empty POST renews the caller's calendar link (an action that needs no data).
    "api:notifications-calendar": (S("member", 200, anon=403), S("member", 200, anon=403)),
    "api:notifications-failed": (S("any_staff", 200, anon=403), S("member", 405, anon=403)),
    "api:notifications-retry": (S("member", 405, anon=403), S("any_staff", 404, anon=403)),
    "api:tool-centres-today": (S("desk", 200, anon=403), S("member", 405, anon=403)),
    "api:tool-centres-hours": (everyone(200), S("place_manager", 400, anon=403)),
    "api:tool-centres-hours-period": (S("member", 405, anon=403), S("member", 405, anon=403)),
    "api:tool-centres-check-in": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-check-out": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-places": (S("member", 200, anon=403), S("member", 405, anon=403)),
    "api:tool-centres-repairs": (S("desk", 200, anon=403), S("member", 405, anon=403)),
    # The desk's other writes: the desk people reach the form (400) or the missing ticket or
    # member card (404); everyone else is refused at the place (403).
    "api:tool-centres-open-ticket": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-ticket-action": (S("member", 405, anon=403), S("desk", 404, anon=403)),
    "api:tool-centres-retire-item": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-briefing": (S("member", 405, anon=403), S("desk", 404, anon=403)),
    "api:tool-centres-verify": (S("member", 405, anon=403), S("desk", 404, anon=403)),
    "api:tool-centres-edit-item": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-add-item": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-receipt-email": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    # Nothing closed today in the world: nothing to check (409), as on the page.
    "api:tool-centres-close-day": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-check-close-out": (S("member", 405, anon=403), S("desk", 409, anon=403)),
    "api:tool-centres-transfers": (S("member", 405, anon=403), S("desk", 400, anon=403)),
    "api:tool-centres-transfer-action": (S("member", 405, anon=403), S("desk", 404, anon=403)),
    "api:tool-centres-kits": (S("member", 405, anon=403), S("place_manager", 400, anon=403)),
    "api:tool-centres-withdraw-kit": (S("member", 405, anon=403), S("place_manager", 404, anon=403)),
    "closets:add-garment": (S("district_staff", 200), S("district_staff", 200)),
    "closets:book-session": (S("member", 405), S("member", 404)),
    "closets:cancel-visit": (S("member", 405), S("owner_or_closet_staff", 302)),
    "closets:coach": (S("member", 200), S("member", 404)),
    "closets:desk": (S("district_staff", 200), S("district_staff", 200)),
    "closets:desk-rental": (S("closet_staff", 200), S("closet_staff", 200)),
    "closets:desk-visit": (S("closet_staff", 200), S("closet_staff", 400)),
    "closets:donor": (S("member", 200), S("member", 200)),
    "closets:fitting": (S("member", 200), S("member", 200)),
    "closets:garment-care": (S("member", 405), S("member", 404)),
    "closets:offer-slots": (S("member", 405), S("district_staff", 302)),
    "closets:outcome-answer": (everyone(200), everyone(200)),
    "closets:profile": (S("member", 200), S("member", 200)),
    "closets:rental": (S("owner_or_closet_staff", 200), S("owner_or_closet_staff", 200)),
    "closets:rental-action": (S("member", 405), S("member", 404)),
    "closets:start": (everyone(200), everyone(200)),
    "closets:suggestions": (S("member", 302), S("member", 302)),
    "closets:visit-state": (S("member", 405), S("member", 404)),
    "core:healthz": (everyone(200), everyone(200)),
    "core:home": (everyone(200), everyone(200)),
    "core:programme": (everyone(200), everyone(200)),
    "core:set-language": (everyone(405), S("member", 302)),
    "homeshare:agreement": (S("coordinator", 200), S("coordinator", 200)),
    "homeshare:application": (S("owner", 200), S("owner", 200)),
    "homeshare:apply": (S("member", 200), S("member", 400)),
    "homeshare:commute": (S("any_staff", 200), S("any_staff", 404)),
    "homeshare:confirm-agreement": (everyone(405), S("match_side", 302)),
    # The two sides of the agreement: a POST with no data is an invalid form (400).
    "homeshare:leave-reference": (everyone(405), S("match_side", 400)),
    "homeshare:coordinator": (S("coordinator", 200), S("coordinator", 200)),
    "homeshare:create-agreement": (everyone(405), S("coordinator", 404)),
    "homeshare:decide": (everyone(405), S("coordinator", 404)),
    "homeshare:record-check": (everyone(405), S("coordinator", 404)),
    "homeshare:end": (everyone(405), S("coordinator", 404)),
    "homeshare:enrolment-proof": (S("member", 404), S("member", 404)),
    "homeshare:extend": (everyone(405), S("coordinator", 404)),
    "homeshare:match": (S("match_side_or_coordinator", 200), S("match_side_or_coordinator", 200)),
    "homeshare:propose": (everyone(405), S("coordinator", 404)),
    "homeshare:record-check-in": (everyone(405), S("coordinator", 404)),
    "homeshare:record-meeting": (everyone(405), S("coordinator", 404)),
    "homeshare:record-screening": (everyone(405), S("coordinator", 404)),
    "homeshare:respond": (everyone(405), S("member", 404)),
    "homeshare:review": (S("coordinator", 200), S("coordinator", 200)),
    "homeshare:run": (S("coordinator", 404), S("coordinator", 404)),
    "homeshare:run-matching": (S("coordinator", 200), S("coordinator", 400)),
    "homeshare:start": (everyone(200), everyone(200)),
    "homeshare:withdraw": (everyone(405), S("owner", 302)),
    "javascript-catalog": (everyone(200), everyone(405)),
    "lending:book": (everyone(405), S("member", 400)),
    "lending:cancel-booking": (everyone(405), S("owner", 302, other=404)),
    "lending:book-kit": (everyone(405), S("member", 404)),
    "lending:catalogue": (everyone(200), everyone(405)),
    "lending:hide-tip": (everyone(405), S("member", 404)),
    "lending:kits": (everyone(200), everyone(405)),
    "lending:leave-tip": (everyone(405), S("member", 400)),
    "lending:mark-tip": (everyone(405), S("member", 404)),
    "lending:my-lists": (S("member", 200), S("member", 405)),
    "lending:save-to-list": (everyone(405), S("member", 400)),
    "lending:import": (S("any_desk", 200), S("any_desk", 400)),
    "lending:import-template": (S("member", 200), S("member", 405)),
    "lending:join-queue": (everyone(405), S("member", 400)),
    "lending:my-bookings": (S("member", 200), S("member", 405)),
    "lending:my-history": (S("member", 200), S("member", 405)),
    "lending:my-loans": (S("member", 200), S("member", 405)),
    "lending:renew": (everyone(405), S("owner", 409, other=404)),
    "lending:title": (everyone(200), everyone(405)),
    "lending:upload-photo": (everyone(405), S("any_desk", 400)),
    "notifications:calendar-feed": (everyone(404), everyone(405)),
    "notifications:channels": (everyone(405), S("member", 302)),
    "notifications:failed": (S("any_staff", 200), S("any_staff", 200)),
    "notifications:my-notices": (S("member", 200), S("member", 200)),
    "notifications:renew-calendar": (everyone(405), S("member", 302)),
    "notifications:retry": (everyone(405), S("any_staff", 404)),
    "reports:export": (S("district_staff", 200), S("district_staff", 200)),
    "reports:impact-factor-save": (everyone(405), S("city_admin", 404)),
    "reports:impact-factors": (S("any_staff", 200), S("any_staff", 200)),
    "reports:open-data": (everyone(200), everyone(200)),
    "reports:public": (everyone(200), everyone(200)),
    "reports:staff": (S("district_staff", 200), S("district_staff", 200)),
    "reports:staff-start": (S("any_staff", 302), S("any_staff", 302)),
    "set_language": (S("member", 302), S("member", 302)),
    "tool_centres:basket-remove": (S("member", 405), S("desk", 302)),
    "tool_centres:cards": (S("desk", 400), S("member", 405)),
    "tool_centres:cash": (S("desk", 200), S("member", 405)),
    "tool_centres:cash-csv": (S("desk", 200), S("member", 405)),
    "tool_centres:check-close-out": (S("member", 405), S("desk", 409)),
    "tool_centres:close-day": (S("member", 405), S("desk", 400)),
    "tool_centres:check-in": (S("member", 405), S("desk", 400)),
    "tool_centres:check-out": (S("member", 405), S("desk", 400)),
    "tool_centres:choose-member": (S("member", 405), S("desk", 302)),
    "tool_centres:desk": (S("desk", 200), S("member", 405)),
    "tool_centres:edit-item": (S("desk", 200), S("desk", 400)),
    "tool_centres:finish-member": (S("member", 405), S("desk", 302)),
    "tool_centres:inventory": (S("desk", 200), S("desk", 400)),
    "tool_centres:labels": (S("desk", 200), S("member", 405)),
    "tool_centres:my-places": (S("one_place", 302, other=200), S("member", 405)),
    "tool_centres:place": (S("desk", 200), S("member", 405)),
    "tool_centres:place-change": (S("member", 405), S("place_manager", 400)),
    "tool_centres:place-remove": (S("member", 405), S("place_manager", 302)),
    "tool_centres:receipt": (S("desk", 200), S("member", 405)),
    "tool_centres:receipt-email": (S("member", 405), S("desk", 400)),
    "tool_centres:record-briefing": (S("member", 405), S("desk", 400)),
    "tool_centres:renew": (S("member", 405), S("desk", 409)),
    "tool_centres:repairs": (S("desk", 200), S("desk", 400)),
    "tool_centres:retire-item": (S("member", 405), S("desk", 400)),
    "tool_centres:scan": (S("member", 405), S("desk", 400)),
    "tool_centres:ticket-action": (S("member", 405), S("desk", 404)),
    "tool_centres:today": (S("desk", 200), S("member", 405)),
    "tool_centres:transfer-action": (S("member", 405), S("desk", 404)),
    "tool_centres:transfers": (S("desk", 200), S("desk", 400)),
    "tool_centres:verify-member": (S("member", 405), S("desk", 400)),
}
# fmt: on


def expected(name: str, rules: dict[str, tuple[S, S]] = RULES) -> dict[str, tuple[int, ...]]:
    get, post = rules[name]
    return {
        "GET": tuple(get.status(p) for p in PERSONAS),
        "POST": tuple(post.status(p) for p in PERSONAS),
    }


def unruled(names: Iterable[str], rules: dict[str, tuple[S, S]] = RULES) -> list[str]:
    return sorted(set(names) - set(rules) - ADMIN)


def test_every_url_has_a_rule() -> None:
    missing = unruled(ALL_URLS)
    assert not missing, (
        "URL names without a rule in the permission matrix: "
        + ", ".join(missing)
        + " (add them to RULES in tests/test_permission_matrix.py)"
    )
    stale = sorted(set(RULES) - set(ALL_URLS))
    assert not stale, f"rules for URL names that no longer exist: {stale}"
    assert all(side.role in ROLES for sides in RULES.values() for side in sides)


def test_a_new_url_without_a_rule_is_reported() -> None:
    assert unruled([*ALL_URLS, "lending:brand-new-page"]) == ["lending:brand-new-page"]


# --- Observing ----------------------------------------------------------------------------------

# `resident` owns the objects: they go last (each persona's writes are undone anyway).
ORDER = [p for p in PERSONAS if p != "resident"] + ["resident"]


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone afterwards, so the next persona and URL see the same world. Marked as the test
    case's own (as Django's TestCase marks its atomics) so the services' durable transactions
    may run inside it, as they do inside each test."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        yield
        transaction.set_rollback(True)


def signed_in(w: World) -> dict[str, Client]:
    """One signed-in client per persona, logged in once (outside the savepoints)."""
    return {persona: w.client(persona) for persona in PERSONAS}


def observe(
    w: World, name: str, method: str, clients: dict[str, Client] | None = None
) -> tuple[int, ...]:
    url = reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], w))
    clients = clients or signed_in(w)
    statuses = {}
    for persona in ORDER:
        caches["ratelimit"].clear()  # nine personas share one test client address
        client = clients[persona]
        cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        with rolled_back():  # each persona meets the same world
            response = client.get(url) if method == "GET" else client.post(url)
            statuses[persona] = response.status_code
            if method == "GET" and response.status_code == 200:
                where = f"GET {url} as {persona}"
                assert_security_headers(response, where)
                assert_forms_carry_csrf_token(response, where)
                if persona in STRANGERS:
                    assert_no_personal_data_of_resident(response, w, where)
        # Back to the cookies from before (a logout, a login or a language change set others).
        client.cookies = SimpleCookie(cookies)
    return tuple(statuses[p] for p in PERSONAS)


def mismatches(w: World, names: Iterable[str], rules: dict[str, tuple[S, S]] = RULES) -> list[str]:
    """Every (URL, method, persona) whose status differs from the rules, as readable lines."""
    problems = []
    clients = signed_in(w)
    for name in names:
        want = expected(name, rules)
        for method in ("GET", "POST"):
            got = observe(w, name, method, clients)
            assert 500 not in got, f"{method} {name}: a server error {got}"
            for persona, g, e in zip(PERSONAS, got, want[method], strict=True):
                if g != e:
                    problems.append(f"{method} {name} as {persona}: got {g}, the rules say {e}")
    return problems


# Personas who must never see the resident's phone number (the desk and district staff may).
STRANGERS = ("anonymous", "other_resident", "volunteer_elsewhere", "staff_elsewhere")
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']?post[^>]*>(.*?)</form>", re.I | re.S)


def assert_forms_carry_csrf_token(response: Any, where: str) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    for form in POST_FORM.findall(response.content.decode()):
        assert 'name="csrfmiddlewaretoken"' in form, f"{where}: a POST form without a CSRF token"


def assert_no_personal_data_of_resident(response: Any, w: World, where: str) -> None:
    phone = w.users["resident"].phone  # stored in E.164
    body = response.content.decode(errors="replace")
    national = display(phone)  # 010-1111-2222
    for shown in {phone, national, national.replace("-", "")}:
        assert shown not in body, f"{where}: shows the resident's phone number"


def assert_security_headers(response: Any, where: str) -> None:
    """What the browser needs to keep a page safe, on every page of the matrix."""
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    if "text/html" in response.get("Content-Type", ""):
        assert response["X-Frame-Options"] == "DENY", where
        csp = response["Content-Security-Policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, where
        assert "frame-ancestors 'none'" in csp, where


# One world per chunk of URLs (instead of one per URL), chunks small enough for xdist to share
# out; each persona's request in a savepoint.
CHUNK = 12
NAMES = sorted(set(ALL_URLS) - ADMIN)
CHUNKS = {f"{NAMES[i]}..": NAMES[i : i + CHUNK] for i in range(0, len(NAMES), CHUNK)}


@pytest.mark.parametrize("chunk", CHUNKS)
def test_who_gets_what(world: World, chunk: str) -> None:
    problems = mismatches(world, CHUNKS[chunk])
    assert not problems, "\n".join(problems)


def test_a_rule_changed_in_the_code_but_not_the_table_fails(world: World, monkeypatch) -> None:
    """The desk stops letting its volunteer in; the table still says it does."""
    from lending import access

    real = access.can_work_at
    monkeypatch.setattr(
        access,
        "can_work_at",
        lambda user, place: user.username != "volunteer" and real(user, place),
    )

    problems = mismatches(world, ["tool_centres:today"])

    assert problems and all("as volunteer" in p for p in problems), problems


def test_a_rule_changed_in_the_table_but_not_the_code_fails(world: World) -> None:
    """The table now keeps the desk for district staff; the code still lets the volunteer in."""
    rules = {**RULES, "tool_centres:today": (S("district_staff", 200), S("district_staff", 405))}

    problems = mismatches(world, ["tool_centres:today"], rules)

    assert "GET tool_centres:today as volunteer: got 200, the rules say 403" in problems
    assert mismatches(world, ["tool_centres:today"]) == []


def test_admin_is_for_city_admins_only(world: World) -> None:
    """Every admin URL: only a city admin with admin-site access gets past the login."""
    clients = signed_in(world)  # one login per persona, not one per URL
    for name in sorted(ADMIN):
        check_admin_url(world, name, clients)


def check_admin_url(world: World, name: str, clients: dict[str, Client]) -> None:
    url = reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], world))
    for persona in PERSONAS:
        response = clients[persona].get(url)
        if name in ("admin:login", "admin:logout", "admin:jsi18n"):
            assert response.status_code < 500, (persona, url)
        elif persona == "city_admin" and world.users["city_admin"].is_staff:
            assert response.status_code in (200, 302, 404), (persona, url)
        else:
            assert response.status_code == 302, (persona, url, response.status_code)
            assert "/admin/login/" in response["Location"], (persona, url)
