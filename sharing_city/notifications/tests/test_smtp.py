"""Notices through a real SMTP server on loopback (aiosmtpd), as production sends them."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from sharing_city.notifications.models import NoticeStatus
from sharing_city.notifications.services import deliver_notice

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("ko", "회원 확인 안내", "김민지님, 망원 공구도서관에 신분증을"),
        (
            "en",
            "Please verify your membership",
            "Dear 김민지, please bring an ID to 망원 공구도서관",
        ),
    ],
)
def test_smtp_server_receives_the_notice_with_recipient_language_subject_and_message_id(
    smtp_inbox, make_member, remind, language, subject, greeting
):
    member = make_member("minji", full_name="김민지", preferred_language=language)
    [notice] = remind(member, place="망원 공구도서관")

    outcome = deliver_notice(notice.pk)

    assert outcome == "sent"
    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["minji@example.org"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["To"] == "minji@example.org"
    assert message["Subject"] == subject
    assert message["Message-ID"] == notice.message_id
    assert message["Content-Language"] == language
    assert greeting in message.get_content()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_a_notice_delivered_twice_reaches_the_server_once(smtp_inbox, resident, remind):
    [notice] = remind(resident)

    deliver_notice(notice.pk)
    deliver_notice(notice.pk)

    assert len(smtp_inbox.envelopes) == 1


def test_server_down_leaves_the_notice_waiting_with_the_error(settings, resident, remind):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    [notice] = remind(resident)

    outcome = deliver_notice(notice.pk)

    assert outcome == "retry"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING
    assert notice.last_error.startswith("ConnectionRefusedError")
