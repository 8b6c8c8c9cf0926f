"""Refuse NUL characters at the edge: PostgreSQL text can neither store nor compare them,
so any lookup with one would be a 500. Binary uploads are not inspected, only fields."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()):
        return True
    if NUL in request.path:
        return True
    content_type = request.content_type or ""
    if content_type.startswith("application/json"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(
            NUL in key or any(NUL in v for v in values) for key, values in request.POST.lists()
        )
    return False


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The input contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


class ConstraintErrorMiddleware:
    """A database rule that refused a write is a 4xx naming the rule, never a 500.

    Services turn the races they expect into named refusals; this is the net under the rest:
    an IntegrityError names its constraint, whose translated `violation_error_message`
    (sharing_city.core.bounds.constraint_message) is shown instead of the constraint's name.
    A value out of the column's range (DataError) is bad input too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import DataError, IntegrityError

        from .bounds import constraint_message

        if isinstance(exception, IntegrityError):
            message = constraint_message(exception) or _(
                "This would break a rule of the records; nothing was changed."
            )
            status, code = 409, "conflict"
        elif isinstance(exception, DataError):
            message, status, code = (
                _("A value is out of range; nothing was changed."),
                400,
                "invalid",
            )
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "detail": message}, status=status)
        return render(request, "400.html", {"message": message}, status=status)
