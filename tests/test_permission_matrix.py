"""Every URL and API operation x every persona -> the status they get.

The URL list comes from the URL configuration itself: a URL name without an entry in
EXPECTED fails `test_every_url_has_an_entry`, so a new page cannot ship without someone
deciding who may see it. Each entry gives two rows of nine statuses, for GET and for a POST
with no data, in the order of PERSONAS:

    anonymous resident other_resident volunteer volunteer_elsewhere coordinator staff
    staff_elsewhere city_admin

`volunteer` works at `tool_centre` (Mapo-gu), `volunteer_elsewhere` at `other_centre`
(Gangnam-gu); `staff` and `coordinator` are Mapo-gu's, `staff_elsewhere` Gangnam-gu's.
Objects in the URLs belong to `resident` (their loan and hold at `tool_centre`). URLs of
objects the world does not build use a missing id (MISSING): they prove the refusal comes
before (or instead of) a server error. 302 for anonymous is the redirect to the login page.
POST-only views answer GET with 405; a POST with no data is refused with a 4xx (or, for the
few safe actions that need no data, does them: logout, language, calendar renewal).

    MATRIX_DISCOVER=1 bin/run-tests tests/test_permission_matrix.py -q -s

prints the observed rows, to review (never to paste blindly) when URLs are added.
"""

# ruff: noqa: F811, E501 - fixtures imported from tests.personas; the table's rows are long
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
    "api:lending-titles-availability": lambda w: {"pk": w.title.pk},
    "api:lending-items-detail": lambda w: {"pk": w.item.pk},
    "api:lending-my-bookings-detail": lambda w: {"pk": w.booking.pk},
    "api:lending-my-loans-detail": lambda w: {"pk": w.loan.pk},
    "reports:export": lambda w: {"code": "11440", "table": "places", "fmt": "csv"},
    "reports:staff": lambda w: {"code": "11440"},
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


# --- The expected statuses --------------------------------------------------------------------


def row(spec: str) -> tuple[int, ...]:
    """'302 200*8' -> nine statuses; `N*k` repeats."""
    out: list[int] = []
    for part in spec.split():
        code, _, times = part.partition("*")
        out += [int(code)] * int(times or 1)
    assert len(out) == len(PERSONAS), spec
    return tuple(out)


# name -> (GET row, POST-with-no-data row). Reviewed, not just recorded: every refusal below
# is the owner/place/district rule of DESIGN.md; notes mark the cells that need a reason.
# - api:lending-renew / lending:renew: the resident's own renewal is refused (409) because
#   their own queue hold waits on the title; the desk (volunteer here, staff here, admin) gets
#   the same 409, the others 404.
# - accounts:password-reset and accounts:login re-render the form with errors as 200.
# - tool_centres:my-places: a volunteer (one place) or Gangnam staff (one place) is sent
#   straight to their desk (302); a resident sees "you have no desk" (200).
# - core:healthz answers POST too (a probe endpoint with no side effects).
# fmt: off
EXPECTED: dict[str, tuple[str, str]] = {
    "accounts:coordinator-home": ("302 403 403 403 403 200 403 403 200", "302 403 403 403 403 200 403 403 200"),
    "accounts:landing": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "accounts:login": ("200 302 302 302 302 302 302 302 302", "400 302 302 302 302 302 302 302 302"),
    "accounts:logout": ("405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302"),
    "accounts:password-reset": ("200 200 200 200 200 200 200 200 200", "400 400 400 400 400 400 400 400 400"),
    "accounts:password-reset-complete": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "accounts:password-reset-confirm": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "accounts:password-reset-done": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "accounts:profile": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "accounts:signup": ("200 302 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302 302"),
    "accounts:staff-home": ("302 403 403 403 403 403 200 200 200", "302 403 403 403 403 403 200 200 200"),
    "accounts:volunteer-home": ("302 403 403 200 200 403 200 200 200", "302 403 403 200 200 403 200 200 200"),
    "api-docs": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api-schema": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:accounts-districts": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:accounts-me": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:closets-book-fitting": ("403 405 405 405 405 405 405 405 405", "403 400 400 400 400 400 400 400 400"),
    "api:closets-garments-detail": ("404 404 404 404 404 404 404 404 404", "405 405 405 405 405 405 405 405 405"),
    "api:closets-garments-list": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:closets-suggestions": ("403 404 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-confirm-agreement": ("403 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404"),
    "api:homeshare-host-application": ("403 404 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-host-applications": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-match": ("403 404 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-matches": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-propose": ("403 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404"),
    "api:homeshare-respond": ("403 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404"),
    "api:homeshare-run": ("403 404 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-runs": ("403 405 405 405 405 405 405 405 405", "403 403 403 403 403 400 403 403 400"),
    "api:homeshare-student-application": ("403 404 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:homeshare-student-applications": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:lending-book": ("403 405 405 405 405 405 405 405 405", "403 400 400 400 400 400 400 400 400"),
    "api:lending-cancel": ("403 405 405 405 405 405 405 405 405", "403 200 404 404 404 404 404 404 404"),
    "api:lending-check-in": ("403 405 405 405 405 405 405 405 405", "403 400 400 400 400 400 400 400 400"),
    "api:lending-check-out": ("403 405 405 405 405 405 405 405 405", "403 400 400 400 400 400 400 400 400"),
    "api:lending-items-detail": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:lending-items-list": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:lending-join-queue": ("403 405 405 405 405 405 405 405 405", "403 400 400 400 400 400 400 400 400"),
    "api:lending-my-bookings-detail": ("403 200 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:lending-my-bookings-list": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:lending-my-loans-detail": ("403 200 404 404 404 404 404 404 404", "403 405 405 405 405 405 405 405 405"),
    "api:lending-my-loans-list": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:lending-renew": ("403 405 405 405 405 405 405 405 405", "403 409 404 409 404 404 409 404 409"),
    "api:lending-titles-availability": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:lending-titles-detail": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:lending-titles-list": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:reports-open-data": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:root": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "api:tool-centres-check-in": ("403 405 405 405 405 405 405 405 405", "403 403 403 400 403 403 400 403 400"),
    "api:tool-centres-check-out": ("403 405 405 405 405 405 405 405 405", "403 403 403 400 403 403 400 403 400"),
    "api:tool-centres-places": ("403 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405"),
    "api:tool-centres-repairs": ("403 403 403 200 403 403 200 403 200", "403 405 405 405 405 405 405 405 405"),
    "closets:add-garment": ("302 403 403 403 403 403 200 403 200", "302 403 403 403 403 403 200 403 200"),
    "closets:book-session": ("302 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "closets:cancel-visit": ("302 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "closets:coach": ("302 200 200 200 200 200 200 200 200", "302 404 404 404 404 404 404 404 404"),
    "closets:desk": ("302 403 403 403 403 403 200 403 200", "302 403 403 403 403 403 200 403 200"),
    "closets:desk-rental": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "closets:desk-visit": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "closets:donor": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "closets:fitting": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "closets:garment-care": ("302 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "closets:offer-slots": ("302 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 302 403 302"),
    "closets:profile": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "closets:rental": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "closets:rental-action": ("302 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "closets:start": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "closets:suggestions": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "closets:visit-state": ("302 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "core:healthz": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "core:home": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "core:programme": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "core:set-language": ("405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302"),
    "homeshare:agreement": ("302 403 403 403 403 404 403 403 404", "302 403 403 403 403 404 403 403 404"),
    "homeshare:application": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "homeshare:apply": ("302 200 200 200 200 200 200 200 200", "302 400 400 400 400 400 400 400 400"),
    "homeshare:commute": ("302 403 403 403 403 403 200 200 200", "302 403 403 403 403 403 404 404 404"),
    "homeshare:confirm-agreement": ("405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "homeshare:coordinator": ("302 403 403 403 403 200 403 403 200", "302 403 403 403 403 200 403 403 200"),
    "homeshare:create-agreement": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:decide": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:end": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:enrolment-proof": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "homeshare:extend": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:match": ("302 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404"),
    "homeshare:propose": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:record-check-in": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:record-meeting": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:record-screening": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 404 403 403 404"),
    "homeshare:respond": ("405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "homeshare:review": ("302 403 403 403 403 404 403 403 404", "302 403 403 403 403 404 403 403 404"),
    "homeshare:run": ("302 403 403 403 403 404 403 403 404", "302 403 403 403 403 404 403 403 404"),
    "homeshare:run-matching": ("302 403 403 403 403 200 403 403 200", "302 403 403 403 403 400 403 403 400"),
    "homeshare:start": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "homeshare:withdraw": ("405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404"),
    "javascript-catalog": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "lending:book": ("405 405 405 405 405 405 405 405 405", "302 400 400 400 400 400 400 400 400"),
    "lending:cancel-booking": ("405 405 405 405 405 405 405 405 405", "302 302 404 404 404 404 404 404 404"),
    "lending:catalogue": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "lending:import": ("302 403 403 200 200 403 200 200 200", "302 403 403 400 400 403 400 400 400"),
    "lending:import-template": ("302 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405"),
    "lending:join-queue": ("405 405 405 405 405 405 405 405 405", "302 400 400 400 400 400 400 400 400"),
    "lending:my-bookings": ("302 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405"),
    "lending:my-history": ("302 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405"),
    "lending:my-loans": ("302 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405"),
    "lending:renew": ("405 405 405 405 405 405 405 405 405", "302 409 404 404 404 404 404 404 404"),
    "lending:title": ("200 200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405 405"),
    "lending:upload-photo": ("405 405 405 405 405 405 405 405 405", "302 403 403 400 400 403 400 400 400"),
    "notifications:calendar-feed": ("404 404 404 404 404 404 404 404 404", "405 405 405 405 405 405 405 405 405"),
    "notifications:channels": ("405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302"),
    "notifications:failed": ("302 403 403 403 403 403 200 200 200", "302 403 403 403 403 403 200 200 200"),
    "notifications:my-notices": ("302 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200"),
    "notifications:renew-calendar": ("405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302"),
    "notifications:retry": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 404 404 404"),
    "reports:export": ("302 403 403 403 403 403 200 403 200", "302 403 403 403 403 403 200 403 200"),
    "reports:impact-factor-save": ("405 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 404 404 404"),
    "reports:impact-factors": ("302 403 403 403 403 403 200 200 200", "302 403 403 403 403 403 200 200 200"),
    "reports:open-data": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "reports:public": ("200 200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200 200"),
    "reports:staff": ("302 403 403 403 403 403 200 403 200", "302 403 403 403 403 403 200 403 200"),
    "reports:staff-start": ("302 403 403 403 403 403 302 302 302", "302 403 403 403 403 403 302 302 302"),
    "set_language": ("302 302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302 302"),
    "tool_centres:basket-remove": ("302 405 405 405 405 405 405 405 405", "302 403 403 302 403 403 302 403 302"),
    "tool_centres:cards": ("302 403 403 400 403 403 400 403 400", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:check-in": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:check-out": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:choose-member": ("302 405 405 405 405 405 405 405 405", "302 403 403 302 403 403 302 403 302"),
    "tool_centres:desk": ("302 403 403 200 403 403 200 403 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:edit-item": ("302 403 403 200 403 403 200 403 200", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:finish-member": ("302 405 405 405 405 405 405 405 405", "302 403 403 302 403 403 302 403 302"),
    "tool_centres:inventory": ("302 403 403 200 403 403 200 403 200", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:labels": ("302 403 403 200 403 403 200 403 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:my-places": ("302 200 200 302 302 200 200 302 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:place": ("302 403 403 200 403 403 200 403 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:place-change": ("302 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 403 403 403"),
    "tool_centres:place-remove": ("302 405 405 405 405 405 405 405 405", "302 403 403 403 403 403 403 403 403"),
    "tool_centres:receipt": ("302 403 403 200 403 403 200 403 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:receipt-email": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:record-briefing": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:renew": ("302 405 405 405 405 405 405 405 405", "302 403 403 409 403 403 409 403 409"),
    "tool_centres:repairs": ("302 403 403 200 403 403 200 403 200", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:retire-item": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:scan": ("302 405 405 405 405 405 405 405 405", "302 403 403 400 403 403 400 403 400"),
    "tool_centres:ticket-action": ("302 405 405 405 405 405 405 405 405", "302 403 403 404 403 403 404 403 404"),
    "tool_centres:today": ("302 403 403 200 403 403 200 403 200", "302 405 405 405 405 405 405 405 405"),
    "tool_centres:transfer-action": ("302 405 405 405 405 405 405 405 405", "302 403 403 404 403 403 404 403 404"),
    "tool_centres:transfers": ("302 403 403 200 403 403 200 403 200", "302 403 403 400 403 403 400 403 400"),
}
# fmt: on


def test_every_url_has_an_entry() -> None:
    missing = sorted(set(ALL_URLS) - set(EXPECTED) - ADMIN)
    assert not missing, (
        "URL names without an entry in the permission matrix: "
        + ", ".join(missing)
        + " (add them to EXPECTED in tests/test_permission_matrix.py)"
    )
    stale = sorted(set(EXPECTED) - set(ALL_URLS))
    assert not stale, f"entries for URL names that no longer exist: {stale}"


# `resident` owns the objects: they go last, so the others are refused a live object, not one
# the owner has just cancelled.
ORDER = [p for p in PERSONAS if p != "resident"] + ["resident"]


def observe(w: World, name: str, method: str) -> tuple[int, ...]:
    url = reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], w))
    statuses = {}
    for persona in ORDER:
        cache.clear()  # rate-limit counters: nine personas share one test client address
        client = w.client(persona)
        response = client.get(url) if method == "GET" else client.post(url)
        statuses[persona] = response.status_code
        if method == "GET" and response.status_code == 200:
            where = f"GET {url} as {persona}"
            assert_security_headers(response, where)
            assert_forms_carry_csrf_token(response, where)
            if persona in STRANGERS:
                assert_no_personal_data_of_resident(response, w, where)
    return tuple(statuses[p] for p in PERSONAS)


# Personas who must never see the resident's phone number (the desk and district staff may).
STRANGERS = ("anonymous", "other_resident", "volunteer_elsewhere", "staff_elsewhere")
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']?post[^>]*>(.*?)</form>", re.I | re.S)


def assert_forms_carry_csrf_token(response: Any, where: str) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    for form in POST_FORM.findall(response.content.decode()):
        assert 'name="csrfmiddlewaretoken"' in form, f"{where}: a POST form without a CSRF token"


def assert_no_personal_data_of_resident(response: Any, w: World, where: str) -> None:
    phone = w.users["resident"].phone
    body = response.content.decode(errors="replace")
    for shown in {phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"}:
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


@pytest.mark.parametrize("name", sorted(set(ALL_URLS) - ADMIN))
def test_who_gets_what(world: World, name: str) -> None:
    get_observed = observe(world, name, "GET")
    post_observed = observe(world, name, "POST")
    if os.environ.get("MATRIX_DISCOVER"):
        fmt = " ".join
        print(
            f'\n    "{name}": ("{fmt(map(str, get_observed))}", "{fmt(map(str, post_observed))}"),'
        )
        return
    if name not in EXPECTED:
        pytest.fail(f"{name} has no entry in EXPECTED")
    get_row, post_row = EXPECTED[name]
    assert dict(zip(PERSONAS, get_observed, strict=True)) == dict(
        zip(PERSONAS, row(get_row), strict=True)
    ), f"GET {name}"
    assert dict(zip(PERSONAS, post_observed, strict=True)) == dict(
        zip(PERSONAS, row(post_row), strict=True)
    ), f"POST {name} with no data"
    assert 500 not in get_observed + post_observed


def test_admin_is_for_city_admins_only(world: World) -> None:
    """Every admin URL: only a city admin with admin-site access gets past the login."""
    for name in sorted(ADMIN):
        check_admin_url(world, name)


def check_admin_url(world: World, name: str) -> None:
    url = reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], world))
    for persona in PERSONAS:
        response = world.client(persona).get(url)
        if name in ("admin:login", "admin:logout", "admin:jsi18n"):
            assert response.status_code < 500, (persona, url)
        elif persona == "city_admin" and world.users["city_admin"].is_staff:
            assert response.status_code in (200, 302, 404), (persona, url)
        else:
            assert response.status_code == 302, (persona, url, response.status_code)
            assert "/admin/login/" in response["Location"], (persona, url)
