"""Every error under /api/ has one JSON shape, {"code": ..., "detail": ...}, also when Django
(not DRF) answers: an unknown URL or a malformed id (404) and an unhandled exception (500).
Pages elsewhere keep their HTML error pages. The schema documents the shape (`add_error_schema`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API: a stable code and a translated detail "
    "(a message, or for invalid input the messages per field).",
    "properties": {
        "code": {"type": "string", "example": "not_found"},
        "detail": {
            "oneOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": True},
                {"type": "array", "items": {}},
            ]
        },
    },
    "required": ["code", "detail"],
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        detail = _("Something went wrong on our side; nothing was changed. Please try again.")
        return JsonResponse({"code": "server_error", "detail": detail}, status=500)
    return defaults.server_error(request)


def add_error_schema(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    """drf-spectacular hook: the Error component, and a `default` response on each operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    default = {
        "description": "An error (400, 401, 403, 404, 405, 409, 422, 429, 500): "
        "`{code, detail}` in the caller's language.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", default)
                if method in WRITE_METHODS:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    return result


WRITE_METHODS = {"post", "put", "patch", "delete"}
# sharing_city/core/once.py: a retried write with the same key acts once.
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255, "pattern": "^[!-~]([ -~]*[!-~])?$"},
    "description": "Any unique string per intended action (a UUID). A repeat with the same key "
    "does not act again: it gets the first answer replayed, with `Idempotent-Replayed: true`; "
    "409 `in_progress` while the first is still running; 422 `idempotency_key_reused` if the "
    "key was used for another request. Only successful answers are kept, for a day.",
}
