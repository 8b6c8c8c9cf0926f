"""SMS delivery behind one small interface; production providers plug in by setting SMS_BACKEND."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str
    message_id: str


class BaseSMSBackend:
    def send(self, message: SMSMessage) -> None:
        raise NotImplementedError


class FileSMSBackend(BaseSMSBackend):
    """Development backend: appends each message as a JSON line under SMS_FILE_PATH."""

    def send(self, message: SMSMessage) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), **message.__dict__}
        with (folder / "outbox.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


class ConsoleSMSBackend(BaseSMSBackend):
    def send(self, message: SMSMessage) -> None:
        print(f"SMS to {message.to} [{message.message_id}]: {message.body}")


def get_sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
