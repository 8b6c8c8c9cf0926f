"""Named refusals on pages: a service's DomainError becomes the app's "not possible" page with
the reason and its 4xx status (a 403 goes to the site's 403 page). The API has its own handler
(sharing_city/core/api)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import DomainError

View = Callable[..., HttpResponse]


def refusals_shown_on(template: str) -> Callable[[View], View]:
    """A view decorator: a refusal is rendered on `template` with `message` and `back`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                if exc.http_status == 403:
                    raise PermissionDenied(str(exc.message)) from exc
                context = {"message": exc.message, "back": request.META.get("HTTP_REFERER", "")}
                return render(request, template, context, status=exc.http_status)

        return wrapped

    return decorator
