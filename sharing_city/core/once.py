"""A double submit acts once.

An acting request may carry a key: API clients send an `Idempotency-Key` header (as in the
IETF draft of that name), and HTML forms that act carry a one-time token in the field
`once` (rendered by `{% once_field %}`). The first request with a key claims it by inserting
a row whose (caller, key) pair is unique, so of two requests racing with one key the database
lets exactly one act. The other one waits for the first to finish and gets its response
replayed (header `Idempotent-Replayed: true`); if the first is still running after
ONCE_WAIT_SECONDS, it gets 409.

Only successful results (status below 400) are kept: a refused or invalid request changed
nothing, so its repeat simply runs again. A key sent again with a different request (another
path or body) is refused with 422; a form token sent with other fields is a new submission
and acts. Keys are forgotten after a day.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from sharing_city.core.models import OnceRequest
from sharing_city.core.ratelimits import client_ip

HEADER = "Idempotency-Key"
FIELD = "once"
KEEP_FOR = timedelta(days=1)
ACTING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request: HttpRequest) -> tuple[str | None, bool]:
    """The key and whether it came from the header (API) rather than a form field."""
    header = request.headers.get(HEADER)
    if header is not None:
        return header.strip(), True
    if request.method == "POST" and (request.content_type or "") in FORM_TYPES:
        token = request.POST.get(FIELD)
        if token is not None:
            return token.strip(), False
    return None, False


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= 255 and key.isascii() and key.isprintable()


def _caller(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.headers.get("Authorization")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]
    return f"addr:{client_ip(request)}"


def _fingerprint(request: HttpRequest, from_header: bool) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}".encode())
    body: bytes | None = None
    if from_header and (request.content_type or "") not in FORM_TYPES:
        body = request.body  # an API retry must be the same request, body and all
    if body is not None:
        digest.update(body)
    else:  # form fields, not the raw body: a multipart boundary differs per click, and an
        # earlier middleware may have read the stream already
        for name, values in sorted(request.POST.lists()):
            if name != "csrfmiddlewaretoken":
                digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            digest.update(repr((name, [(f.name, f.size) for f in files])).encode())
    return digest.hexdigest()


def _refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)


def _replay(row: OnceRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(row.body), status=row.status_code, content_type=row.content_type or None
    )
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


class OnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ACTING_METHODS:
            return self.get_response(request)
        key, from_header = _key(request)
        if key is None:
            return self.get_response(request)
        if not _valid_key(key):
            return _refusal(
                request,
                400,
                "invalid_idempotency_key",
                _("The Idempotency-Key must be 1 to 255 visible ASCII characters."),
            )
        caller = _caller(request)
        fingerprint = _fingerprint(request, from_header)
        if not from_header:
            # A form's token with other fields is another submission (a scanner's next code
            # typed into the page before it reloaded), not a repeat: it acts on its own.
            key = f"{key[:180]}:{fingerprint[:32]}"
        row = self._claim(caller, key, fingerprint)
        if row is None:
            return self._repeat(request, caller, key, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            row.delete()
            raise
        if response.status_code >= 400 or response.streaming:
            row.delete()  # nothing acted (or nothing can be replayed): a repeat runs again
            return response
        row.status_code = response.status_code
        row.content_type = response.get("Content-Type", "")
        row.location = response.get("Location", "")
        row.body = response.content
        row.save(update_fields=["status_code", "content_type", "location", "body"])
        return response

    @staticmethod
    def _claim(caller: str, key: str, fingerprint: str) -> OnceRequest | None:
        now = timezone.now()
        # A key older than a day is free again; so is one whose request died mid-way.
        OnceRequest.objects.filter(caller=caller, key=key, created_at__lt=now - KEEP_FOR).delete()
        abandoned = now - timedelta(seconds=settings.ONCE_ABANDONED_AFTER_SECONDS)
        OnceRequest.objects.filter(
            caller=caller, key=key, status_code__isnull=True, created_at__lt=abandoned
        ).delete()
        try:
            with transaction.atomic():
                return OnceRequest.objects.create(
                    caller=caller, key=key, fingerprint=fingerprint, created_at=now
                )
        except IntegrityError:
            return None

    def _repeat(
        self, request: HttpRequest, caller: str, key: str, fingerprint: str
    ) -> HttpResponse:
        deadline = time.monotonic() + settings.ONCE_WAIT_SECONDS
        while True:
            row = OnceRequest.objects.filter(caller=caller, key=key).first()
            if row is None:  # the first one failed and let the key go: this one may act
                return self(request)
            if row.fingerprint != fingerprint:
                return _refusal(
                    request,
                    422,
                    "idempotency_key_reused",
                    _("This key was already used for a different request."),
                )
            if row.status_code is not None:
                return _replay(row)
            if time.monotonic() >= deadline:
                return _refusal(
                    request,
                    409,
                    "in_progress",
                    _("The same request is still being handled. Try again in a moment."),
                )
            time.sleep(0.05)


def forget_old(now: datetime | None = None) -> int:
    """Delete keys older than a day; returns how many."""
    now = now or timezone.now()
    deleted, _kinds = OnceRequest.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
