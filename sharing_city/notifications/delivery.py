"""Rendering a notice in its member's language and handing it to the email or SMS backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import select_template
from django.utils import translation

from sharing_city.core.particles import resolve

from .kinds import Attachment, NoticeKind
from .models import Channel, Notice
from .sms import SMSMessage, get_sms_backend


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    body: str
    sms: str
    attachments: tuple[Attachment, ...] = ()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_notice(notice: Notice, kind: NoticeKind, now: datetime) -> RenderedNotice:
    with translation.override(notice.language):
        context: dict[str, Any] = {
            **notice.context,
            **kind.extra_context(notice, now),
            "notice": notice,
            "member": notice.recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
            "link": kind.link(notice),
        }

        def render(part: str) -> str:
            names = [f"{kind.template_prefix}_{part}.{notice.language}.txt"]
            names.append(f"{kind.template_prefix}_{part}.txt")
            text = select_template(names).render(context)
            return resolve(text) if notice.language.startswith("ko") else text

        return RenderedNotice(
            subject=_one_line(render("subject"))[:200],
            body=render("body").strip() + "\n",
            sms=_one_line(render("sms")),
            attachments=tuple(kind.attachments(notice, now)),
        )


def send_rendered(notice: Notice, rendered: RenderedNotice) -> None:
    """Raises whatever the backend raises; the caller records it and retries later."""
    member = notice.recipient
    if notice.channel == Channel.SMS:
        get_sms_backend().send(
            SMSMessage(to=member.phone, body=rendered.sms, message_id=notice.message_id)
        )
        return
    message = EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        to=[member.email],
        headers={
            # Stable across retries: a receiver that already has this id drops the copy.
            "Message-ID": notice.message_id,
            "Content-Language": notice.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    for name, content, mimetype in rendered.attachments:
        message.attach(name, content, mimetype)
    message.send(fail_silently=False)
