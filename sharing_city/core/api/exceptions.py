"""One error shape for the whole API: {"code": ..., "detail": ...}, translated."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sharing_city.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "detail": str(exc.message)},
            status=exc.http_status,
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(response.data, dict):
        return response
    # Field errors are always wrapped: a body's own field may be called `code` (an item code).
    if isinstance(exc, ValidationError):
        response.data = {"code": "invalid", "detail": response.data}
    elif "code" not in response.data:
        code = "not_found" if response.status_code == 404 else getattr(exc, "default_code", "error")
        response.data = {"code": code, **response.data}
    return response


__all__ = ["exception_handler", "status"]
