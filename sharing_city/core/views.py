"""Home page, programme pages, language switch and the health endpoint."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import replica
from .health import broker_ok, database_ok

# The programmes the home page introduces. An app that builds a programme names its
# start page here; until then the programme shows a "coming soon" page.
PROGRAMMES = {
    "tools": {
        "title": _("Tool centres"),
        "summary": _("Borrow drills, ladders, suitcases and more from your district's centre."),
        "url": "lending:catalogue",
        "query": "category=tools",
    },
    "books": {
        "title": _("Book sharing"),
        "summary": _("Neighbours share books in apartment mini-libraries."),
        "url": "lending:catalogue",
        "query": "category=books",
    },
    "closet": {
        "title": _("Open Closet"),
        "summary": _("Interview suits that fit, with optional career advice."),
        "url": "closets:start",
    },
    "homeshare": {
        "title": _("Home-share"),
        "summary": _("Older residents with a spare room host students who help at home."),
        "url": "homeshare:start",
    },
}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"programmes": PROGRAMMES})


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in PROGRAMMES:
        raise Http404
    return render(request, "core/programme.html", {"programme": PROGRAMMES[slug], "slug": slug})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus remembering the choice on the member's account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in {"ko", "en"}:
        user.preferred_language = language  # type: ignore[union-attr]
        user.save(update_fields=["preferred_language"])  # type: ignore[union-attr]
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    db_up, db_detail = database_ok()
    broker_up, broker_detail = broker_ok()
    healthy = db_up and broker_up
    body: dict[str, Any] = {
        "status": "ok" if healthy else "unavailable",
        "database": db_detail,
        "broker": broker_detail,
    }
    if replica.configured():
        # Measured afresh: reads already fall back to the primary, so a replica that is down or
        # lagging is reported but does not make this node unhealthy.
        body["replica"] = replica.measure().as_json()
    return JsonResponse(body, status=200 if healthy else 503)


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Rate-limited logins and password resets: 429 with a translated page."""
    return render(request, "429.html", status=429)
