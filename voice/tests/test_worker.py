"""A real Celery worker on Redis runs the daily voice reminder: staff get one reminder notice
per unanswered ask, delivered by the same worker; the task delivered twice (as after a broker
redelivery) makes nothing new (the step claim is a conditional UPDATE)."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
import redis
from celery import Celery
from django.utils import timezone

from sharing_city.notifications.models import Notice, NoticeStatus
from sharing_city.notifications.tests.test_worker import Worker, wait_for
from voice import services
from voice.models import VoiceEvent

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(tmp_path):
    w = Worker(tmp_path, queue=f"voice-test-{uuid.uuid4().hex[:8]}")
    w.env["CELERY_DEFAULT_QUEUE"] = w.queue  # the notice deliveries, too
    w.env["VOICE_REMIND_AFTER_DAYS"] = "3"
    yield w
    w.stop()


def test_a_real_worker_reminds_staff_of_an_unanswered_ask_once(
    worker, resident, staff, tool_centre
):
    weeks_ago = timezone.now() - dt.timedelta(days=14)
    ask = services.create_ask(
        by=resident, kind="item", text="A tent", place=tool_centre, now=weeks_ago
    )
    answered = services.create_ask(
        by=resident, kind="item", text="A ladder", place=tool_centre, now=weeks_ago
    )
    services.answer(ask=answered, by=staff, text="Coming")
    broker = Celery(broker=os.environ["REDIS_URL"])
    for _ in range(2):  # a duplicate delivery, as after a broker redelivery
        broker.send_task("voice.remind_unanswered", queue=worker.queue)

    worker.start()
    reminders = Notice.objects.filter(kind="voice_unanswered")

    def sent() -> bool:
        return reminders.filter(status=NoticeStatus.SENT).exists()

    wait_for(sent, "the reminder to be delivered")
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    wait_for(
        lambda: client.llen(worker.queue) == 0 and client.hlen("unacked") == 0,
        "the broker to have nothing left to deliver",
    )
    ask.refresh_from_db()
    assert ask.reminded_step == 3
    assert list(reminders.values_list("subject_id", "recipient__username", "status")) == [
        (str(ask.pk), "staff", NoticeStatus.SENT)
    ]
    assert VoiceEvent.objects.filter(action=VoiceEvent.Action.REMINDED).count() == 1
    broker.close()
