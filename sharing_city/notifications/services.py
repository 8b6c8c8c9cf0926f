"""Creating each notice once, delivering it, retrying it, and members' notice settings.

How delivery stays exactly-once (modelled on healthchecks' sendalerts):

1. Claim: one conditional UPDATE moves the row to `sending` only if it is waiting, or if an
   earlier claim is older than NOTICE_STALE_CLAIM (its worker died). Exactly one row changed
   means this worker owns the notice; zero means another worker sent it or holds it. Duplicate
   task deliveries, the redeliver sweep and concurrent workers all meet here.
2. Re-check: the kind's `still_due(notice)`; a loan returned a minute ago cancels its reminder.
3. Send, outside any transaction: no lock is held while a mail server thinks.
4. Mark sent, again conditional on our claim still standing.

The one duplicate window: the provider accepted the message and the worker died (SIGKILL, OOM,
power cut) before step 4 committed. The claim goes stale, a later delivery claims it and sends
again. That copy carries the same Message-ID (derived from the notice's key, never random), so
receivers drop it. Closing the window entirely would need the provider to accept our key as an
idempotency key, which SMTP cannot.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from sharing_city.accounts.models import User

from .delivery import render_notice, send_rendered
from .exceptions import NoChannelChosen, NoPhoneForSMS, NoticeNotRetryable
from .kinds import get_kind
from .models import (
    CalendarFeed,
    Channel,
    Notice,
    NoticePreference,
    NoticeStatus,
    NotificationEvent,
    new_feed_token,
    stable_message_id,
    unsafe_in_message_id,
)

log = logging.getLogger(__name__)
Action = NotificationEvent.Action


@dataclass(frozen=True)
class NoticeSpec:
    """One notice to exist: who, about what, which kind and step, and what to say."""

    recipient_id: int
    subject_type: str
    subject_id: str | int
    kind: str
    step: str | int = ""
    context: dict[str, Any] = field(default_factory=dict)


# --- Channels -----------------------------------------------------------------------------


def channels_for(member: User) -> list[str]:
    """The member's chosen channels that can reach them; email when nothing else can."""
    try:
        preference: NoticePreference | None = member.notice_preference  # type: ignore[attr-defined]
    except NoticePreference.DoesNotExist:
        preference = None
    wants_email = preference.email if preference else True
    wants_sms = preference.sms if preference else False
    chosen = []
    if wants_email and member.email:
        chosen.append(Channel.EMAIL.value)
    if wants_sms and member.phone:
        chosen.append(Channel.SMS.value)
    if not chosen and member.email:
        chosen.append(Channel.EMAIL.value)
    return chosen


def set_channels(*, member: User, email: bool, sms: bool, by: User) -> NoticePreference:
    """Save which channels the member wants. Refused when none, or SMS without a phone."""
    if not (email or sms):
        raise NoChannelChosen
    if sms and not member.phone:
        raise NoPhoneForSMS
    with transaction.atomic(durable=True):
        preference, _ = NoticePreference.objects.select_for_update().get_or_create(member=member)
        if (preference.email, preference.sms) == (email, sms):
            return preference
        preference.email, preference.sms = email, sms
        preference.save(update_fields=["email", "sms", "updated_at"])
        NotificationEvent.objects.create(
            member=member,
            action=Action.CHANNELS_CHANGED,
            by=by,
            at=timezone.now(),
            detail=f"email={email} sms={sms}",
        )
    return preference


# --- Creating notices ---------------------------------------------------------------------


def notify(
    *,
    recipient: User,
    subject_type: str,
    subject_id: str | int,
    kind: str,
    step: str | int = "",
    context: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> list[Notice]:
    """Make sure the notice exists (one per channel) and queue its delivery after commit.

    Safe to call again: an existing notice is neither duplicated nor re-sent. Meant to be
    called inside the caller's transaction, so the notice exists only if the change does.
    """
    spec = NoticeSpec(recipient.pk, subject_type, subject_id, kind, step, context or {})
    notify_many([spec], now=now)
    return list(
        Notice.objects.filter(
            recipient=recipient,
            subject_type=subject_type,
            subject_id=str(subject_id),
            kind=kind,
            step=str(step),
        ).order_by("channel")
    )


def notify_many(
    specs: Iterable[NoticeSpec], *, now: datetime | None = None, batch_size: int = 1000
) -> int:
    """For notices listed in Python (a place's volunteers, one lost loan's staff): INSERT ...
    ON CONFLICT DO NOTHING in batches, then queue delivery of the rows this call inserted.
    Returns how many it inserted. Sweeps over many rows use notify_query instead.

    Two sweeps running at once both try to insert; the unique constraint keeps one row and
    the loser's insert is silently skipped, so each notice is queued by whoever created it.
    """
    now = now or timezone.now()
    created = 0
    batch: list[NoticeSpec] = []
    for spec in specs:
        batch.append(spec)
        if len(batch) >= batch_size:
            created += _insert_batch(batch, now)
            batch = []
    if batch:
        created += _insert_batch(batch, now)
    return created


def _insert_batch(specs: Sequence[NoticeSpec], now: datetime) -> int:
    members = User.objects.filter(
        pk__in={spec.recipient_id for spec in specs}, is_active=True
    ).select_related("notice_preference")
    by_id = {member.pk: member for member in members}
    rows = []
    for spec in specs:
        member = by_id.get(spec.recipient_id)
        if member is None:
            continue
        for channel in channels_for(member):
            rows.append(_new_notice(spec, member, channel, now))
    rows = _without_existing(rows)
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    # Of the rows not there a moment ago, those stamped with this call's `now` are the ones it
    # inserted; a concurrent sweep's rows carry its own timestamp. (Were two ever to share one,
    # both would queue the notice and the delivery claim would still send it once.)
    new_ids: list[int] = []
    for (kind, subject_type), group in _by_subject(rows).items():
        new_ids += Notice.objects.filter(
            kind=kind,
            subject_type=subject_type,
            subject_id__in={row.subject_id for row in group},
            created_at=now,
            status=NoticeStatus.PENDING,
        ).values_list("pk", flat=True)
    queue_delivery(new_ids)
    return len(new_ids)


def _by_subject(rows: list[Notice]) -> dict[tuple[str, str], list[Notice]]:
    groups: dict[tuple[str, str], list[Notice]] = defaultdict(list)
    for row in rows:
        groups[(row.kind, row.subject_type)].append(row)
    return groups


def _without_existing(rows: list[Notice]) -> list[Notice]:
    """Drop rows whose notice already exists, so a repeated sweep inserts and queues nothing."""
    fresh = []
    for (kind, subject_type), group in _by_subject(rows).items():
        existing = set(
            Notice.objects.filter(
                kind=kind,
                subject_type=subject_type,
                subject_id__in={row.subject_id for row in group},
            ).values_list("subject_id", "step", "recipient_id", "channel")
        )
        fresh += [
            row
            for row in group
            if (row.subject_id, row.step, row.recipient_id, row.channel) not in existing
        ]
    return fresh


def _new_notice(spec: NoticeSpec, member: User, channel: str, now: datetime) -> Notice:
    subject_id, step = str(spec.subject_id), str(spec.step)
    return Notice(
        recipient_id=member.pk,
        subject_type=spec.subject_type,
        subject_id=subject_id,
        kind=spec.kind,
        step=step,
        channel=channel,
        language=member.preferred_language or settings.LANGUAGE_CODE,
        message_id=stable_message_id(
            subject_type=spec.subject_type,
            subject_id=subject_id,
            kind=spec.kind,
            step=step,
            recipient_id=member.pk,
            channel=channel,
        ),
        context=spec.context,
        created_at=now,
        next_attempt_at=now + settings.NOTICE_REDELIVER_GRACE,
    )


# One statement does what notify_many does row by row: join the candidates to their member and
# NoticePreference, fan out one row per channel (the rules of channels_for), build language and
# Message-ID (the format of stable_message_id) in SQL, skip existing keys with ON CONFLICT.
_INSERT_SELECT = """
INSERT INTO notifications_notice (recipient_id, subject_type, subject_id, kind, step, channel,
    language, status, attempts, last_error, message_id, context, title, created_at,
    next_attempt_at)
SELECT u.id, %s, c.n_subject, %s, c.n_step, ch.channel,
    COALESCE(NULLIF(u.preferred_language, ''), %s), %s, 0, '',
    CASE WHEN ch.channel = 'sms' THEN {local} || '.sms' ELSE '<' || {local} || %s END,
    '{{}}', '', %s, %s
FROM ({candidates}) c
JOIN accounts_user u ON u.id = c.n_recipient AND u.is_active
LEFT JOIN notifications_noticepreference p ON p.member_id = u.id
CROSS JOIN (SELECT 'email' AS channel UNION ALL SELECT 'sms') ch
WHERE (ch.channel = 'email' AND u.email <> '' AND (COALESCE(p.email, TRUE)
        OR NOT (COALESCE(p.sms, FALSE) AND u.phone <> '')))
    OR (ch.channel = 'sms' AND COALESCE(p.sms, FALSE) AND u.phone <> '')
ON CONFLICT DO NOTHING
RETURNING id
"""
_LOCAL_PART = (
    "%s || '-' || c.n_subject || '.' || %s || '.' || COALESCE(NULLIF(c.n_step, ''), '0')"
    " || '.' || CAST(u.id AS TEXT)"
)


def notify_query(
    candidates: QuerySet[Any], *, subject_type: str, kind: str, now: datetime | None = None
) -> int:
    """The set-based form for sweeps at city scale: one INSERT ... SELECT over `candidates`,
    a `.values(n_recipient=..., n_subject=..., n_step=...)` queryset (subject and step as
    text made of RFC 5322-safe characters: digits, letters, _ + -). Delivery of the rows this
    call inserted is queued after commit; returns how many it inserted.

    Two sweeps at once: the unique constraint keeps one row, ON CONFLICT skips the loser's,
    and RETURNING names only rows this statement inserted, so each notice is queued once.
    """
    if unsafe_in_message_id(subject_type) or unsafe_in_message_id(kind):
        raise ValueError(f"{subject_type!r} / {kind!r} would need escaping in a Message-ID")
    now = now or timezone.now()
    refresh_statistics_if_stale()
    sql, params = candidates.query.sql_with_params()
    stamp = connection.ops.adapt_datetimefield_value(now)
    later = connection.ops.adapt_datetimefield_value(now + settings.NOTICE_REDELIVER_GRACE)
    local_params = [subject_type, kind]
    statement = _INSERT_SELECT.format(local=_LOCAL_PART, candidates=sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            statement,
            [
                *[subject_type, kind, settings.LANGUAGE_CODE, NoticeStatus.PENDING],
                *local_params,
                *local_params,
                f"@{settings.NOTICE_MESSAGE_ID_DOMAIN}>",
                *[stamp, later],
                *params,
            ],
        )
        ids = [row[0] for row in cursor.fetchall()]
        queue_delivery(ids)
    global _inserted_since_analyze
    _inserted_since_analyze += len(ids)
    return len(ids)


# Sweeps ask "is there a notice for this loan yet?" with NOT EXISTS. Without fresh statistics
# (autovacuum off or lagging) PostgreSQL uses default selectivities, estimates one notice per
# kind, and picks a nested loop that rescans every notice of the kind for every candidate:
# quadratic, minutes at 100,000 notices (bench/sweeps.py prints the plan). So before its
# query a sweep refreshes them when autovacuum's own rule (50 rows + 10% changed since the
# last ANALYZE) says they are stale; sampling costs a fraction of a second at any size.
# The server's change counter lags: a backend reports its changes at most once a second, after
# it goes idle, so a sweep's second step did not see the first step's rows and planned for an
# empty table (a quadratic anti join: 7.6 s instead of 0.3 s for 10,000 overdue loans). The
# rows this process inserted since its last ANALYZE are therefore counted here too.
# Inside a transaction PostgreSQL answers the statistics views from the copy it took at their
# first read (stats_fetch_consistency = cache), so a second look after an ANALYZE still saw the
# old count and analysed again: the copy is dropped before each look.
_STALE_STATISTICS = """
SELECT s.n_mod_since_analyze + %s > 50 + 0.1 * GREATEST(c.reltuples, 0)
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.relid = 'notifications_notice'::regclass
"""
_inserted_since_analyze = 0


def refresh_statistics_if_stale() -> bool:
    global _inserted_since_analyze
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(_STALE_STATISTICS, [_inserted_since_analyze])
        row = cursor.fetchone()
        if not (row and row[0]):
            return False
        cursor.execute("ANALYZE notifications_notice")
    _inserted_since_analyze = 0
    return True


DELIVERY_CHUNK = 200


def queue_delivery(notice_ids: Iterable[int]) -> None:
    """Queue delivery once the surrounding transaction commits: one task per chunk of ids
    (a sweep's 100,000 notices are 500 queue messages, not 100,000). Each notice is still
    claimed on its own, so a chunk delivered twice, or overlapping a redelivery, sends each
    notice once."""
    ids = list(notice_ids)
    if not ids:
        return
    from .tasks import deliver, deliver_many  # tasks import this module

    def send() -> None:
        # The rows are committed: with the broker (Redis) down, the redelivery sweep queues
        # them later (NOTICE_REDELIVER_GRACE), so the member's action still succeeds.
        try:
            if len(ids) == 1:
                deliver.delay(ids[0])
                return
            for start in range(0, len(ids), DELIVERY_CHUNK):
                deliver_many.delay(ids[start : start + DELIVERY_CHUNK])
        except (KombuOperationalError, OSError) as exc:
            log.warning("broker unreachable, %d notices wait for the sweep: %s", len(ids), exc)

    transaction.on_commit(send)


def deliver_chunk(notice_ids: Sequence[int], *, budget: float) -> int:
    """Deliver notices one after another for up to `budget` seconds, then queue the rest as a
    new chunk, so a chunk task stays within one delivery's time limit (and so within the stale
    claim timeout: no live send is ever claimed again). Returns how many were handled here."""
    started = time.monotonic()
    for done, notice_id in enumerate(notice_ids):
        if time.monotonic() - started > budget:
            queue_delivery(notice_ids[done:])
            return done
        deliver_notice(notice_id)
    return len(notice_ids)


# --- Delivering ---------------------------------------------------------------------------


def deliver_notice(notice_id: int, *, now: datetime | None = None) -> str:
    """Send one notice if it is still waiting and still true. Returns what happened:
    "sent", "cancelled", "retry", "failed", "waiting" (for the member to confirm their address)
    or "skipped" (another delivery has it or had it)."""
    now = now or timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id)
        .claimable(now=now)
        .update(status=NoticeStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return "skipped"
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    try:
        kind = get_kind(notice.kind)
        if not notice.recipient.is_active or not kind.still_due(notice, now):
            _finish(notice, now, NoticeStatus.CANCELLED, Action.CANCELLED)
            return "cancelled"
        if notice.channel == Channel.EMAIL and notice.recipient.email_confirmation_pending:
            return _wait_for_confirmation(notice, now)
        # The re-check runs just before sending, not atomically with it: a loan returned in
        # the moment between still_due() and the provider accepting the message (rendering and
        # the SMTP/SMS round trip, about a second) still gets its reminder. Holding a lock on
        # the loan across a remote call would cost more than a rare, harmless extra reminder.
        rendered = render_notice(notice, kind, now)
        send_rendered(notice, rendered)
    except Exception as exc:  # any backend, template or lookup error: record it, retry later
        log.warning("notice %s: attempt %s failed: %r", notice.pk, notice.attempts, exc)
        return _record_failure(notice, now, exc)
    _finish(notice, now, NoticeStatus.SENT, Action.SENT, title=rendered.subject)
    return "sent"


# A new member's address is not written to until they confirm it (accounts.email_confirmation):
# the notice waits, without using up an attempt, and is due again the moment they confirm.
UNCONFIRMED_WAIT = timedelta(hours=6)


def _wait_for_confirmation(notice: Notice, now: datetime) -> str:
    _owned(notice, now).update(
        status=NoticeStatus.PENDING,
        attempts=F("attempts") - 1,
        next_attempt_at=now + UNCONFIRMED_WAIT,
        last_error="waiting for the member to confirm their email address",
    )
    return "waiting"


def _owned(notice: Notice, now: datetime):  # type: ignore[no-untyped-def]
    """The row, only while our claim stands (a stale-claim takeover voids it)."""
    return Notice.objects.filter(pk=notice.pk, status=NoticeStatus.SENDING, claimed_at=now)


def _finish(notice: Notice, now: datetime, status: str, action: str, *, title: str = "") -> None:
    changes: dict[str, Any] = {"status": status}
    if status == NoticeStatus.SENT:
        changes.update(sent_at=now, title=title, last_error="")
    with transaction.atomic(durable=True):
        if _owned(notice, now).update(**changes) != 1:
            log.warning(
                "notice %s: claim taken over before it could be marked %s", notice.pk, status
            )
            return
        NotificationEvent.objects.create(
            member_id=notice.recipient_id, notice=notice, action=action, at=now
        )


def _record_failure(notice: Notice, now: datetime, exc: Exception) -> str:
    final = notice.attempts >= settings.NOTICE_MAX_ATTEMPTS
    backoff = settings.NOTICE_RETRY_BACKOFF
    delay = backoff[min(notice.attempts, len(backoff)) - 1]
    error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic(durable=True):
        changed = _owned(notice, now).update(
            status=NoticeStatus.FAILED if final else NoticeStatus.PENDING,
            last_error=error,
            next_attempt_at=now + delay,
        )
        if changed == 1:
            NotificationEvent.objects.create(
                member_id=notice.recipient_id,
                notice=notice,
                action=Action.FAILED if final else Action.ATTEMPT_FAILED,
                at=now,
                detail=error,
            )
    return "failed" if final else "retry"


def redeliver_due(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Queue notices nobody is delivering: waiting past their next attempt (a lost queue
    message, a retry after backoff) or claimed by a worker that died. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        _fail_exhausted_claims(now)
        ids = list(
            Notice.objects.due_for_redelivery(now=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        # Push the next look forward so a backed-up queue is not flooded with copies.
        Notice.objects.filter(pk__in=ids, status=NoticeStatus.PENDING).update(
            next_attempt_at=now + settings.NOTICE_REDELIVER_GRACE
        )
        queue_delivery(ids)
    return len(ids)


def _fail_exhausted_claims(now: datetime) -> None:
    """A notice whose worker died on every attempt stops here, visible to staff."""
    stale = Notice.objects.filter(
        status=NoticeStatus.SENDING,
        claimed_at__lt=now - settings.NOTICE_STALE_CLAIM,
        attempts__gte=settings.NOTICE_MAX_ATTEMPTS,
    )
    rows = list(stale.values_list("pk", "recipient_id"))
    if not rows:
        return
    error = "The worker stopped while sending, on every attempt."
    Notice.objects.filter(pk__in=[pk for pk, _ in rows], status=NoticeStatus.SENDING).update(
        status=NoticeStatus.FAILED, last_error=error
    )
    NotificationEvent.objects.bulk_create(
        NotificationEvent(
            member_id=member_id, notice_id=pk, action=Action.FAILED, at=now, detail=error
        )
        for pk, member_id in rows
    )


def retry_notice(*, notice: Notice, by: User, now: datetime | None = None) -> Notice:
    """Staff send a failed notice again, with a fresh round of attempts. Retrying one that
    is already waiting or being sent does nothing; a sent or cancelled one is refused."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status in (NoticeStatus.PENDING, NoticeStatus.SENDING):
            return notice
        if notice.status != NoticeStatus.FAILED:
            raise NoticeNotRetryable
        notice.status = NoticeStatus.PENDING
        notice.attempts = 0
        notice.next_attempt_at = now + settings.NOTICE_REDELIVER_GRACE
        notice.save(update_fields=["status", "attempts", "next_attempt_at"])
        NotificationEvent.objects.create(
            member_id=notice.recipient_id, notice=notice, action=Action.RETRIED, by=by, at=now
        )
        queue_delivery([notice.pk])
    return notice


# --- Calendar feed ------------------------------------------------------------------------


def calendar_feed_of(member: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(member=member)
    return feed


def renew_calendar_feed(*, member: User, by: User) -> CalendarFeed:
    """Give the member a new secret feed URL; the old one stops working at once."""
    with transaction.atomic(durable=True):
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(member=member)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token"])
        NotificationEvent.objects.create(
            member=member, action=Action.FEED_RENEWED, by=by, at=timezone.now()
        )
    return feed
