"""Every action a person can take in the browser is an API operation (issue 17).

The browser's actions are read from the URL resolver: each page view that accepts a POST (a
class-based view with `post`, a view behind require_POST, or one that reads `request.POST`).
Each must be in PARITY (the API operations that do the same, by URL name; each must be a
write in the OpenAPI schema), in BROWSER_ONLY (with the reason no API operation is wanted), or
in NOT_YET (known gaps, listed so that the list can only shrink: an entry that gains an
operation, or that is no longer a POST view, fails until it is moved or removed).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

WRITES = {"post", "put", "patch", "delete"}

# Page view (URL name) -> the API operations (URL names) that do what it does.
PARITY: dict[str, list[str]] = {
    "voice:create": ["api:voice-asks-list"],
    "voice:me-too": ["api:voice-me-too"],
    "voice:answer": ["api:voice-answer"],
    "voice:status": ["api:voice-status"],
    "voice:merge": ["api:voice-merge"],
    "voice:hold": ["api:voice-hold"],
    "closets:profile": ["api:closets-measurements"],
    "closets:fitting": ["api:closets-book-fitting"],
    "closets:cancel-visit": ["api:closets-cancel-fitting"],
    "closets:book-session": ["api:closets-book-advice"],
    "closets:rental-action": ["api:closets-extend", "api:closets-feedback", "api:closets-outcome"],
    "closets:offer-slots": ["api:closets-offer-slots"],
    "closets:add-garment": ["api:closets-add-garment"],
    "closets:coach": ["api:closets-offer-session", "api:closets-session-notes"],
    "closets:desk-visit": ["api:closets-rent"],
    "closets:visit-state": ["api:closets-visit-state"],
    "closets:desk-rental": ["api:closets-return"],
    "closets:garment-care": ["api:closets-garment-care"],
    "tool_centres:check-out": ["api:tool-centres-check-out", "api:lending-check-out"],
    "tool_centres:check-in": ["api:tool-centres-check-in", "api:lending-check-in"],
    "tool_centres:renew": ["api:lending-renew"],
    "tool_centres:place-change": ["api:tool-centres-hours", "api:tool-centres-kits"],
    "tool_centres:record-briefing": ["api:tool-centres-briefing"],
    "tool_centres:verify-member": ["api:tool-centres-verify"],
    "tool_centres:repairs": ["api:tool-centres-open-ticket"],
    "tool_centres:ticket-action": ["api:tool-centres-ticket-action"],
    "tool_centres:retire-item": ["api:tool-centres-retire-item"],
    "tool_centres:edit-item": ["api:tool-centres-edit-item"],
    "tool_centres:inventory": ["api:tool-centres-add-item"],
    "tool_centres:receipt-email": ["api:tool-centres-receipt-email"],
    "tool_centres:close-day": ["api:tool-centres-close-day"],
    "tool_centres:check-close-out": ["api:tool-centres-check-close-out"],
    "tool_centres:transfers": ["api:tool-centres-transfers"],
    "tool_centres:transfer-action": ["api:tool-centres-transfer-action"],
    "tool_centres:place-remove": ["api:tool-centres-hours-period", "api:tool-centres-withdraw-kit"],
    "lending:book": ["api:lending-book"],
    "lending:join-queue": ["api:lending-join-queue"],
    "lending:cancel-booking": ["api:lending-cancel"],
    "lending:renew": ["api:lending-renew"],
    "homeshare:apply": ["api:homeshare-host-applications", "api:homeshare-student-applications"],
    "homeshare:withdraw": ["api:homeshare-withdraw"],
    "homeshare:respond": ["api:homeshare-respond"],
    "homeshare:confirm-agreement": ["api:homeshare-confirm-agreement"],
    "homeshare:leave-reference": ["api:homeshare-leave-reference"],
    "homeshare:record-screening": ["api:homeshare-screening"],
    "homeshare:decide": ["api:homeshare-application-decide"],
    "homeshare:record-check": ["api:homeshare-application-checks"],
    "lending:leave-tip": ["api:lending-title-tips"],
    "lending:book-kit": ["api:lending-book-kit"],
    "closets:outcome-answer": ["api:closets-outcome"],
    "accounts:close-account": ["api:accounts-me"],
    "accounts:consent": ["api:accounts-me-consent"],
    "accounts:resend-confirmation": ["api:accounts-me-confirmation"],
    "accounts:password-change": ["api:accounts-password"],
    "lending:mark-tip": ["api:lending-mark-tip"],
    "lending:hide-tip": ["api:lending-hide-tip"],
    "lending:save-to-list": ["api:lending-my-lists"],
    "homeshare:run-matching": ["api:homeshare-runs"],
    "homeshare:propose": ["api:homeshare-propose"],
    "homeshare:record-meeting": ["api:homeshare-meeting"],
    "homeshare:create-agreement": ["api:homeshare-create-agreement"],
    "homeshare:extend": ["api:homeshare-extend-agreement"],
    "homeshare:end": ["api:homeshare-end-agreement"],
    "homeshare:record-check-in": ["api:homeshare-record-check-in"],
    "homeshare:commute": ["api:homeshare-commute"],
    "reports:impact-factor-save": ["api:reports-impact-factor"],
    "lending:upload-photo": ["api:lending-title-photos"],
    "lending:import": ["api:lending-import"],
    "notifications:channels": ["api:notifications-channels"],
    "notifications:retry": ["api:notifications-retry"],
    "notifications:renew-calendar": ["api:notifications-calendar"],
    "accounts:login": ["api:accounts-token"],
    "accounts:profile": ["api:accounts-me-profile"],
    "accounts:signup": ["api:accounts-signup"],
    "accounts:logout": ["api:accounts-token"],
}

# Browser mechanics with nothing for an API client to do.
BROWSER_ONLY: dict[str, str] = {
    "core:set-language": "the site's language cookie; API clients send Accept-Language",
    "set_language": "Django's language switch; API clients send Accept-Language",
    "accounts:password-reset": "an emailed link that opens a page; apps send people there",
    "accounts:password-reset-confirm": "the page that emailed link opens",
    "tool_centres:scan": "the desk page's one field; the API takes member and codes at once",
    "tool_centres:choose-member": "picks the member of the desk page's session",
    "tool_centres:finish-member": "clears the desk page's session",
    "tool_centres:basket-remove": "edits the desk page's session basket",
}

# Known gaps (issue 17 asked for them). All closed; it stays empty.
NOT_YET: set[str] = set()


def _patterns() -> Iterator[tuple[str, str, Callable[..., Any]]]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Any]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = (
                    f"{namespace}:{p.namespace}"
                    if namespace and p.namespace
                    else (p.namespace or namespace)
                )
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner or "")
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield prefix + str(p.pattern), name, p.callback

    yield from walk(get_resolver().url_patterns, "", "")


def accepts_post(view: Callable[..., Any]) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    layer: Any = view
    while True:
        for cell in getattr(layer, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, (list, tuple)) and "POST" in value:  # require_http_methods
                return True
        if not hasattr(layer, "__wrapped__"):
            break
        layer = layer.__wrapped__
    try:
        source = inspect.getsource(layer)
    except (OSError, TypeError):
        return False
    return "request.POST" in source or '"POST"' in source


def browser_post_views() -> set[str]:
    return {
        name
        for route, name, view in _patterns()
        if not route.startswith(("api/", "admin/")) and accepts_post(view)
    }


@pytest.fixture(scope="module")
def writes() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITES
    }


def _schema_path(name: str) -> str:
    """The OpenAPI path of a URL name: its route with {id}/{slug}/... for the arguments."""
    for route, url_name, _view in _patterns():
        if url_name == name:
            path = "/" + route
            for arg in ("pk", "slug", "kind", "code", "number", "action"):
                path = path.replace(f"<int:{arg}>", "{id}" if arg == "pk" else "{" + arg + "}")
                path = path.replace(f"<slug:{arg}>", "{" + arg + "}")
                path = path.replace(f"<str:{arg}>", "{" + arg + "}")
            return path
    raise AssertionError(f"{name}: no such URL")


def test_every_browser_action_has_an_api_operation_or_a_reason() -> None:
    views = browser_post_views()
    missing = views - set(PARITY) - set(BROWSER_ONLY) - NOT_YET

    assert not missing, f"POST views with no API operation (add one, or a reason): {missing}"


def test_the_lists_name_only_post_views_and_the_gaps_only_shrink() -> None:
    views = browser_post_views()
    listed = set(PARITY) | set(BROWSER_ONLY) | NOT_YET

    assert not (listed - views), f"no longer POST views: {listed - views}"
    assert not (set(PARITY) & NOT_YET) and not (set(BROWSER_ONLY) & NOT_YET)
    assert not NOT_YET  # all of issue 17's gaps are closed: a new POST view needs one of the two


def test_each_parity_target_is_a_write_in_the_schema(writes: set[tuple[str, str]]) -> None:
    paths = {path for path, _method in writes}
    for view, operations in PARITY.items():
        for name in operations:
            path = _schema_path(name)
            assert path in paths, f"{view}: {name} ({path}) is not a write in /api/schema/"


def test_the_api_has_at_least_70_operations_each_with_its_error_bodies() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in WRITES | {"get"}
    ]

    assert len(operations) >= 70
    for path, method, op in operations:
        codes = set(op["responses"])
        assert "default" in codes, f"{method} {path}: no error body"


def test_the_detector_sees_require_post_and_a_form_post() -> None:
    from closets import views as closet_views
    from sharing_city.notifications import views as notice_views

    assert accepts_post(notice_views.renew_calendar_feed)  # require_POST
    assert accepts_post(closet_views.desk_rental)  # reads request.POST
    assert not accepts_post(notice_views.calendar_feed)  # GET only
    assert reverse("api:accounts-token") == "/api/v1/accounts/token/"
