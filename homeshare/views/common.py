"""What every home-share page shares: refusals shown with their reason, the member, the
application a URL names."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sharing_city.accounts.models import User
from sharing_city.core.refusals import refusals_shown_on

from ..models import HostApplication, StudentApplication

KINDS: dict[str, type[HostApplication] | type[StudentApplication]] = {
    "host": HostApplication,
    "student": StudentApplication,
}


# A service's named refusal becomes a page with the reason and its 4xx status.
refusals = refusals_shown_on("homeshare/refused.html")


def member(request: HttpRequest) -> User:
    """The logged-in member (every view using it is behind login_required)."""
    return cast(User, request.user)


def find_application(kind: str, pk: int) -> HostApplication | StudentApplication:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.select_related("district", "applicant"), pk=pk)
