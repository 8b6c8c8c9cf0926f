"""Liveness of the two services every process depends on."""

from __future__ import annotations

from django.db import connection

from sharing_city.celery import app as celery_app


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return False, type(exc).__name__
    return True, "ok"


def broker_ok(timeout: float = 2.0) -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
            # Connecting is lazy on some transports; a channel proves the broker answers.
            conn.default_channel  # noqa: B018
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"
