"""What every home-share page shares: refusals shown with their reason, the member, the
application a URL names."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sharing_city.accounts.models import User
from sharing_city.core.errors import DomainError

from ..models import HostApplication, StudentApplication

KINDS: dict[str, type[HostApplication] | type[StudentApplication]] = {
    "host": HostApplication,
    "student": StudentApplication,
}


def refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A service's named refusal becomes a page with the reason and its 4xx status."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.http_status == 403:
                raise PermissionDenied from exc
            context = {"message": exc.message, "back": request.META.get("HTTP_REFERER", "")}
            return render(request, "homeshare/refused.html", context, status=exc.http_status)

    return wrapped


def member(request: HttpRequest) -> User:
    """The logged-in member (every view using it is behind login_required)."""
    return cast(User, request.user)


def find_application(kind: str, pk: int) -> HostApplication | StudentApplication:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.select_related("district", "applicant"), pk=pk)
