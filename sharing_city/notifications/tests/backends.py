"""An SMS backend for the worker test: while a marker file exists it announces that a send has
started, then blocks as a slow provider would, so the test can kill the worker mid-send."""

import os
import time
from pathlib import Path

from sharing_city.notifications.sms import FileSMSBackend, SMSMessage


class StallingSMSBackend(FileSMSBackend):
    def send(self, message: SMSMessage) -> None:
        marker = Path(os.environ["STALL_MARKER"])
        if marker.exists():
            Path(str(marker) + ".started").write_text(message.message_id)
            while marker.exists():
                time.sleep(0.2)
        super().send(message)
