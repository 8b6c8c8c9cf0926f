"""A real Celery worker on Redis is killed with SIGKILL in the middle of a send. After a
restart the notice is sent exactly once: the broker redelivers the unacknowledged task
(acks_late, visibility timeout) and the delivery claim, gone stale, is taken over."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from celery import Celery
from django.db import connection

from sharing_city.notifications.models import Notice, NoticePreference, NoticeStatus
from sharing_city.notifications.services import notify

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[3]
BOUND = 90  # seconds: visibility timeout 10 s + restore sweep 1 s + start-up, with room


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, what, timeout=BOUND):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail(f"gave up after {timeout} s waiting for {what}")


class Worker:
    def __init__(self, tmp_path: Path, queue: str):
        redis_url = os.environ["REDIS_URL"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sharing_city.notifications.tests.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": "10",
            "CELERY_RESTORE_INTERVAL": "1",
            "CELERY_RESTORE_THROTTLE": "1",
            # Shorter than the task limit only here, so the takeover happens within the test.
            "NOTICE_STALE_CLAIM_SECONDS": "5",
            "STALL_MARKER": str(tmp_path / "stall"),
            "SHARING_CITY_VAR_DIR": str(tmp_path),
        }
        self.queue, self.tmp_path, self.runs = queue, tmp_path, 0
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.runs += 1
        log = (self.tmp_path / f"worker-{self.runs}.log").open("wb")
        celery = str(Path(sys.executable).with_name("celery"))
        self.process = subprocess.Popen(
            [
                celery,
                "-A",
                "sharing_city",
                "worker",
                "-c",
                "1",
                "--without-mingle",
                "--without-gossip",
                "-Q",
                self.queue,
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the worker and its pool child
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@pytest.fixture
def worker(tmp_path):
    w = Worker(tmp_path, queue=f"notices-test-{uuid.uuid4().hex[:8]}")
    yield w
    w.stop()


def test_notice_is_sent_exactly_once_after_the_worker_is_killed_mid_send(
    worker, tmp_path, make_member, kind
):
    member = make_member("minji", phone="01099998888")
    NoticePreference.objects.create(member=member, email=False, sms=True)
    with mock.patch("sharing_city.notifications.services.queue_delivery"):
        [notice] = notify(
            recipient=member,
            subject_type="member",
            subject_id=member.pk,
            kind=kind.name,
            context={"place": "Mapo"},
        )
    stall, started = tmp_path / "stall", tmp_path / "stall.started"
    stall.touch()
    outbox = tmp_path / "sms" / "outbox.jsonl"
    broker = Celery(broker=os.environ["REDIS_URL"])

    worker.start()
    broker.send_task("notifications.deliver", args=[notice.pk], queue=worker.queue)
    wait_for(started.exists, "the first send to start")
    worker.kill()
    stall.unlink()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENDING, 1)
    worker.start()

    def sent() -> bool:
        notice.refresh_from_db()
        return notice.status == NoticeStatus.SENT

    wait_for(sent, "the notice to be sent after the restart")
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    wait_for(
        lambda: client.llen(worker.queue) == 0 and client.hlen("unacked") == 0,
        "the broker to have nothing left to deliver",
    )
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [line["message_id"] for line in lines] == [notice.message_id]
    assert lines[0]["to"] == "+821099998888"  # E.164 for the SMS gateway
    assert notice.attempts == 2
    assert Notice.objects.count() == 1
    broker.close()
