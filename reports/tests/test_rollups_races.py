"""Refreshes of the rollups at the same time, on real PostgreSQL: each loan counted once."""

import threading

import pytest
from django.db import connection

from lending.models import Loan
from reports import rollups

from .conftest import TODAY, seoul
from .test_rollups import table

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_refreshes_at_once_add_each_returned_loan_once(city, now):
    rollups.rebuild(now=now)
    returned = Loan.objects.filter(returned_at__isnull=True).update(
        returned_at=seoul(TODAY, 9), return_condition="needs_repair", outcome="returned"
    )
    barrier = threading.Barrier(4)
    failures: list[Exception] = []

    def refresh() -> None:
        try:
            barrier.wait()
            rollups.refresh(now=now)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert returned > 0 and failures == []
    refreshed = table()
    rollups.rebuild(now=now)
    assert table() == refreshed
