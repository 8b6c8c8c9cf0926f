from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from sharing_city.notifications import services
from sharing_city.notifications.exceptions import (
    NoChannelChosen,
    NoPhoneForSMS,
    NoticeNotRetryable,
)
from sharing_city.notifications.models import (
    Notice,
    NoticePreference,
    NoticeStatus,
    NotificationEvent,
)
from sharing_city.notifications.services import NoticeSpec, deliver_notice, notify_many

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class FlakySMTP:
    """An email backend whose server refuses every message, as one that is down would."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = "sharing_city.notifications.tests.test_services.FlakySMTP"


def test_notify_creates_one_pending_email_notice_with_a_stable_message_id(resident, remind):
    notices = remind(resident, step=1, now=NOW)

    assert len(notices) == 1
    notice = notices[0]
    assert notice.status == NoticeStatus.PENDING
    assert notice.channel == "email"
    assert notice.language == "ko"
    assert notice.message_id == (
        f"<member-{resident.pk}.test_verify_reminder.1.{resident.pk}@notices.sharing.city>"
    )
    assert notice.next_attempt_at == NOW + timedelta(seconds=60)


def test_notify_twice_keeps_one_notice_and_queues_it_once(
    resident, remind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as first:
        remind(resident, now=NOW)
    with django_capture_on_commit_callbacks(execute=True) as second:
        remind(resident, now=NOW)

    assert Notice.objects.count() == 1
    assert len(first) == 1
    assert second == []
    assert len(mail.outbox) == 1


def test_notify_uses_each_channel_the_member_chose(resident, remind):
    NoticePreference.objects.create(member=resident, email=True, sms=True)

    notices = remind(resident, now=NOW)

    assert [n.channel for n in notices] == ["email", "sms"]
    assert notices[1].message_id.endswith(".sms")


def test_sms_only_member_without_phone_still_gets_email(make_member, remind):
    member = make_member("nophone", phone="")
    NoticePreference.objects.create(member=member, email=False, sms=True)

    notices = remind(member, now=NOW)

    assert [n.channel for n in notices] == ["email"]


def test_notify_many_skips_inactive_members_and_counts_new_rows(
    resident, other_resident, make_member, kind
):
    gone = make_member("gone", is_active=False)
    specs = [
        NoticeSpec(m.pk, "member", m.pk, kind.name, "1", {"place": "Mapo"})
        for m in (resident, other_resident, gone)
    ]

    first = notify_many(specs, now=NOW)
    again = notify_many(specs, now=NOW)

    assert (first, again) == (2, 0)
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {
        "resident",
        "other_resident",
    }


@pytest.mark.parametrize(
    ("language", "subject", "body_part"),
    [
        ("ko", "회원 확인 안내", "신분증을 가지고"),
        ("en", "Please verify your membership", "bring an ID"),
    ],
)
def test_deliver_sends_email_in_the_members_language(
    make_member, remind, language, subject, body_part
):
    member = make_member("minji", preferred_language=language)
    [notice] = remind(member, now=NOW)

    outcome = deliver_notice(notice.pk, now=NOW)

    assert outcome == "sent"
    [message] = mail.outbox
    assert message.subject == subject
    assert body_part in message.body
    assert message.to == [member.email]
    assert message.extra_headers["Message-ID"] == notice.message_id
    assert message.extra_headers["Content-Language"] == language
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.sent_at == NOW
    assert notice.attempts == 1
    assert notice.title == subject
    assert NotificationEvent.objects.filter(notice=notice, action="sent").count() == 1


def test_deliver_sends_sms_through_the_configured_backend(resident, remind, settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path
    NoticePreference.objects.create(member=resident, email=False, sms=True)
    [notice] = remind(resident, now=NOW)

    assert deliver_notice(notice.pk, now=NOW) == "sent"

    lines = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert '"to": "+821011112222"' in lines[0]  # E.164 for the SMS gateway
    assert "[공유서울]" in lines[0]
    assert notice.message_id in lines[0]


def test_deliver_twice_sends_once(resident, remind):
    [notice] = remind(resident, now=NOW)

    outcomes = [deliver_notice(notice.pk, now=NOW), deliver_notice(notice.pk, now=NOW)]

    assert outcomes == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.attempts == 1


def test_an_unconfirmed_address_gets_nothing_until_the_member_confirms_it(resident, remind):
    from sharing_city.accounts.email_confirmation import confirm

    resident.email_confirmation_pending = True
    resident.save(update_fields=["email_confirmation_pending"])
    [notice] = remind(resident, now=NOW)

    waiting = deliver_notice(notice.pk, now=NOW)

    assert waiting == "waiting" and mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING and notice.attempts == 0
    assert notice.next_attempt_at > NOW  # not lost: it waits, without using up its attempts

    confirm(resident, now=NOW + timedelta(minutes=5))
    notice.refresh_from_db()
    assert notice.next_attempt_at == NOW + timedelta(minutes=5)  # due again at once
    assert deliver_notice(notice.pk, now=NOW + timedelta(minutes=5)) == "sent"
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_deliver_cancels_a_notice_no_longer_true_at_send_time(resident, remind):
    [notice] = remind(resident, now=NOW)
    resident.is_verified = True  # verified a minute before the reminder went out
    resident.save()

    outcome = deliver_notice(notice.pk, now=NOW)

    assert outcome == "cancelled"
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    assert NotificationEvent.objects.filter(notice=notice, action="cancelled").exists()


def test_deliver_does_not_touch_a_notice_another_worker_is_sending(resident, remind):
    [notice] = remind(resident, now=NOW)
    Notice.objects.filter(pk=notice.pk).update(status="sending", claimed_at=NOW, attempts=1)

    outcome = deliver_notice(notice.pk, now=NOW + timedelta(seconds=30))

    assert outcome == "skipped"
    assert mail.outbox == []
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENDING, 1)


def test_deliver_takes_over_a_claim_left_by_a_dead_worker(resident, remind):
    [notice] = remind(resident, now=NOW)
    Notice.objects.filter(pk=notice.pk).update(status="sending", claimed_at=NOW, attempts=1)

    outcome = deliver_notice(notice.pk, now=NOW + timedelta(minutes=4))

    assert outcome == "sent"
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)


def test_failed_attempt_waits_with_backoff_then_fails_visibly(resident, remind, broken_mail):
    [notice] = remind(resident, now=NOW)
    outcomes, now = [], NOW
    for _ in range(5):
        outcomes.append(deliver_notice(notice.pk, now=now))
        notice.refresh_from_db()
        now = notice.next_attempt_at

    assert outcomes == ["retry", "retry", "retry", "retry", "failed"]
    assert notice.status == NoticeStatus.FAILED
    assert notice.attempts == 5
    assert notice.last_error == "ConnectionRefusedError: mail server down"
    assert NotificationEvent.objects.filter(notice=notice, action="attempt_failed").count() == 4
    assert NotificationEvent.objects.filter(notice=notice, action="failed").count() == 1


def test_first_failure_is_retried_after_one_minute(resident, remind, broken_mail):
    [notice] = remind(resident, now=NOW)

    deliver_notice(notice.pk, now=NOW)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING
    assert notice.next_attempt_at == NOW + timedelta(minutes=1)


def test_redeliver_queues_lost_and_abandoned_notices_only(
    resident, other_resident, make_member, remind, django_capture_on_commit_callbacks
):
    [lost] = remind(resident, now=NOW)  # its queue message vanished
    [fresh] = remind(other_resident, now=NOW + timedelta(minutes=4, seconds=30))  # still on its way
    [abandoned] = remind(make_member("third"), now=NOW)
    Notice.objects.filter(pk=abandoned.pk).update(status="sending", claimed_at=NOW, attempts=1)
    later = NOW + timedelta(minutes=5)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.redeliver_due(now=later)

    assert queued == 2
    assert len(mail.outbox) == 2
    statuses = dict(Notice.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "sent", abandoned.pk: "sent", fresh.pk: "pending"}


def test_redeliver_twice_queues_nothing_new(resident, remind, django_capture_on_commit_callbacks):
    remind(resident, now=NOW)
    later = NOW + timedelta(minutes=5)

    first = services.redeliver_due(now=later)
    second = services.redeliver_due(now=later)

    assert (first, second) == (1, 0)


def test_redeliver_fails_a_notice_that_killed_its_worker_every_time(resident, remind):
    [notice] = remind(resident, now=NOW)
    Notice.objects.filter(pk=notice.pk).update(status="sending", claimed_at=NOW, attempts=5)

    services.redeliver_due(now=NOW + timedelta(hours=1))

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FAILED
    assert "worker stopped" in notice.last_error
    assert mail.outbox == []


def test_retry_gives_a_failed_notice_a_fresh_round(
    resident, staff, remind, broken_mail, settings, django_capture_on_commit_callbacks
):
    [notice] = remind(resident, now=NOW)
    Notice.objects.filter(pk=notice.pk).update(status="failed", attempts=5, last_error="x")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_notice(notice=notice, by=staff)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.attempts == 1
    assert len(mail.outbox) == 1
    assert NotificationEvent.objects.get(action="retried").by == staff


def test_retry_twice_is_harmless(resident, staff, remind):
    [notice] = remind(resident, now=NOW)
    Notice.objects.filter(pk=notice.pk).update(status="failed", attempts=5)

    services.retry_notice(notice=notice, by=staff, now=NOW)
    services.retry_notice(notice=notice, by=staff, now=NOW)

    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 0)
    assert NotificationEvent.objects.filter(action="retried").count() == 1


def test_retry_of_a_sent_notice_is_refused_and_changes_nothing(resident, staff, remind):
    [notice] = remind(resident, now=NOW)
    deliver_notice(notice.pk, now=NOW)

    with pytest.raises(NoticeNotRetryable):
        services.retry_notice(notice=notice, by=staff, now=NOW)

    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)
    assert not NotificationEvent.objects.filter(action="retried").exists()
    assert len(mail.outbox) == 1


def test_set_channels_saves_the_choice_once(resident):
    services.set_channels(member=resident, email=False, sms=True, by=resident)
    services.set_channels(member=resident, email=False, sms=True, by=resident)

    preference = NoticePreference.objects.get(member=resident)
    assert (preference.email, preference.sms) == (False, True)
    assert NotificationEvent.objects.filter(action="channels_changed").count() == 1


@pytest.mark.parametrize(
    ("email", "sms", "phone", "error"),
    [(False, False, "01011112222", NoChannelChosen), (True, True, "", NoPhoneForSMS)],
)
def test_set_channels_refusals_change_nothing(make_member, email, sms, phone, error):
    member = make_member("minji", phone=phone)

    with pytest.raises(error):
        services.set_channels(member=member, email=email, sms=sms, by=member)

    assert not NoticePreference.objects.filter(member=member).exists()
    assert not NotificationEvent.objects.exists()


def test_renew_calendar_feed_replaces_the_token(resident):
    old = services.calendar_feed_of(resident).token

    renewed = services.renew_calendar_feed(member=resident, by=resident)

    assert renewed.token != old
    assert len(renewed.token) >= 40
    assert NotificationEvent.objects.filter(action="feed_renewed", member=resident).count() == 1
