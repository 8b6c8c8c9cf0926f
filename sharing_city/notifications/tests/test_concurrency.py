"""Concurrent deliveries and sweeps on PostgreSQL: each notice exists once and is sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sharing_city.notifications.models import Notice, NoticeStatus
from sharing_city.notifications.services import NoticeSpec, deliver_notice, notify_many
from tests.concurrency.threads import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(count, work):
    """Start `count` threads at one barrier; return what each returned (or raised)."""
    return race(work, count)


def test_eight_concurrent_deliveries_send_the_notice_once(resident, remind):
    [notice] = remind(resident)  # autocommit: queued and sent at once; make it wait again
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.PENDING, attempts=0)
    mail.outbox.clear()

    outcomes = run_together(8, lambda i: deliver_notice(notice.pk))

    assert sorted(outcomes) == ["sent"] + ["skipped"] * 7
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)


def test_two_concurrent_sweeps_create_and_send_each_notice_once(make_member, kind):
    members = [make_member(f"member{i}") for i in range(30)]
    specs = [NoticeSpec(m.pk, "member", m.pk, kind.name, "7", {"place": "Mapo"}) for m in members]
    start = timezone.now()

    created = run_together(2, lambda i: notify_many(specs, now=start + timedelta(microseconds=i)))

    assert all(isinstance(n, int) for n in created), created
    assert sum(created) == 30
    assert Notice.objects.count() == 30
    assert Notice.objects.filter(status=NoticeStatus.SENT).count() == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
