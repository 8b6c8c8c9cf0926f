"""Answers that cannot change while one request is served, worked out once per request.

A desk check-out asks "may this volunteer work at this place?" in the view, in the basket and
in each item's check-out (the services check again under their locks, on purpose: they are
also called from tasks and the API). Inside a request the answer is the same every time, so
the middleware keeps a memo for the request's lifetime; outside one (tasks, shell, tests of
the services) nothing is remembered and every call asks the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("request_memo", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), once per request for this key; every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def forget() -> None:
    """Drop what this request remembered (after it changed who may do what)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
