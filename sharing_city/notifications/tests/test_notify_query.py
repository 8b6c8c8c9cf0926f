"""The set-based insert the sweeps use: the same rows notify_many would make, built in SQL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from sharing_city.accounts.models import User
from sharing_city.notifications import services, tasks
from sharing_city.notifications.models import (
    Notice,
    NoticePreference,
    NoticeStatus,
    stable_message_id,
)
from sharing_city.notifications.services import channels_for, notify_query

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def members_as_subjects(step="+7_2026-11-13"):
    """Each active test member is the subject of a notice to themselves."""
    return User.objects.order_by().values(
        n_recipient=F("pk"), n_subject=Cast("pk", CharField()), n_step=Value(step, CharField())
    )


@pytest.fixture
def members(resident, other_resident, make_member):
    """email only (no preference), SMS and email, SMS only, SMS wanted without a phone, and
    a member who has left."""
    both = make_member("both", phone="010-1111-2222", preferred_language="en")
    sms_only = make_member("sms_only", phone="010-3333-4444")
    no_phone = make_member("no_phone", phone="")
    make_member("gone", is_active=False)
    NoticePreference.objects.create(member=both, email=True, sms=True)
    NoticePreference.objects.create(member=sms_only, email=False, sms=True)
    NoticePreference.objects.create(member=no_phone, email=False, sms=True)
    return [resident, other_resident, both, sms_only, no_phone]


def test_notify_query_makes_the_rows_notify_many_would(
    members, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        created = notify_query(
            members_as_subjects(), subject_type="member", kind=kind.name, now=NOW
        )

    rows = Notice.objects.order_by("recipient_id", "channel")
    expected = sorted(
        (member.pk, channel) for member in members for channel in channels_for(member)
    )
    assert created == len(expected) == 6  # the member who left gets nothing
    assert len(queued) == 1
    assert [(n.recipient_id, n.channel) for n in rows] == expected
    for notice in rows:
        assert notice.message_id == stable_message_id(
            subject_type="member",
            subject_id=str(notice.recipient_id),
            kind=kind.name,
            step="+7_2026-11-13",
            recipient_id=notice.recipient_id,
            channel=notice.channel,
        )
        assert notice.language == notice.recipient.preferred_language
        assert (notice.status, notice.attempts, notice.context) == (NoticeStatus.PENDING, 0, {})
        assert (notice.created_at, notice.next_attempt_at) == (NOW, NOW + timedelta(seconds=60))
    both = rows.get(recipient__username="both", channel="email")
    pk = both.recipient_id
    assert both.message_id == f"<member-{pk}.{kind.name}.+7_2026-11-13.{pk}@notices.sharing.city>"
    assert rows.get(recipient__username="both", channel="sms").message_id.endswith(".sms")


def test_notify_query_twice_inserts_and_queues_nothing_new(
    members, kind, django_capture_on_commit_callbacks
):
    notify_query(members_as_subjects(), subject_type="member", kind=kind.name, now=NOW)
    with django_capture_on_commit_callbacks() as queued:
        again = notify_query(members_as_subjects(), subject_type="member", kind=kind.name, now=NOW)

    assert (again, len(queued)) == (0, 0)
    assert Notice.objects.count() == 6


def test_notify_query_empty_step_is_zero_in_the_message_id(resident, kind):
    notify_query(members_as_subjects(step=""), subject_type="member", kind=kind.name, now=NOW)

    notice = Notice.objects.get()
    assert (
        notice.message_id
        == f"<member-{resident.pk}.{kind.name}.0.{resident.pk}@notices.sharing.city>"
    )


def test_notify_query_refuses_a_kind_that_would_need_escaping(resident):
    with pytest.raises(ValueError):
        notify_query(members_as_subjects(), subject_type="member", kind="bad kind", now=NOW)

    assert not Notice.objects.exists()


def test_a_chunk_delivered_twice_sends_each_notice_once(resident, other_resident, kind):
    notify_query(members_as_subjects(), subject_type="member", kind=kind.name, now=NOW)
    ids = list(Notice.objects.values_list("pk", flat=True))

    first = tasks.deliver_many(ids)
    second = tasks.deliver_many(ids)

    assert (first, second) == (2, 2)  # handled: sent, then skipped by the claim
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, other_resident.email])
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}


def test_a_chunk_past_its_time_budget_queues_the_rest(resident, other_resident, kind, monkeypatch):
    notify_query(members_as_subjects(), subject_type="member", kind=kind.name, now=NOW)
    ids = sorted(Notice.objects.values_list("pk", flat=True))
    requeued = []
    monkeypatch.setattr(services, "queue_delivery", requeued.extend)

    handled = services.deliver_chunk(ids, budget=-1)  # over budget from the start

    assert (handled, requeued) == (0, ids)
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.PENDING}
    assert mail.outbox == []


def test_queue_delivery_sends_one_task_per_chunk(monkeypatch, django_capture_on_commit_callbacks):
    chunks = []
    monkeypatch.setattr(tasks.deliver_many, "delay", chunks.append)
    monkeypatch.setattr(services, "DELIVERY_CHUNK", 2)

    with django_capture_on_commit_callbacks(execute=True):
        services.queue_delivery([1, 2, 3, 4, 5])

    assert chunks == [[1, 2], [3, 4], [5]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_big_insert_makes_the_next_sweep_step_refresh_the_planner_statistics(make_member, kind):
    """The server's change counter lags behind a sweep's own inserts (a backend reports them
    after it goes idle), so the next step would plan for an empty notice table. The rows this
    process inserted count at once: the next step analyses first."""
    from django.db import connection, transaction

    from sharing_city.notifications.services import refresh_statistics_if_stale

    # Earlier tests' changes wait in this backend to be reported (at most once a second, or
    # on a 10 s timer that can fire in the middle of this test). Report them now: a forced
    # flush happens when the backend goes idle outside a transaction, before it answers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with transaction.atomic():  # the server sees none of what follows until it commits
        for i in range(120):
            make_member(f"m{i}")
        refresh_statistics_if_stale()
        assert refresh_statistics_if_stale() is False  # just analysed: fresh

        created = notify_query(
            members_as_subjects(), subject_type="member", kind=kind.name, now=NOW
        )

        assert created >= 120
        assert refresh_statistics_if_stale() is True
        assert refresh_statistics_if_stale() is False
