"""Settings of the real Celery worker that the SIGKILL test starts: the test settings, but a
real Redis broker, the test's database (DATABASE_URL), the stalling SMS backend and the test
notice kind. Everything else comes from the environment the test passes."""

import os

from sharing_city.settings.test import *  # noqa: F403
from sharing_city.settings.test import BASE_DIR, TEMPLATES

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
# A test whose task queues follow-up work (a reminder's notice deliveries) routes it to its own
# queue, so the one worker does it and nothing is left on a queue that other runs consume.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_DEFAULT_QUEUE", "celery")
SMS_BACKEND = "sharing_city.notifications.tests.backends.StallingSMSBackend"
_dirs: list = list(TEMPLATES[0]["DIRS"])  # type: ignore[call-overload]
TEMPLATES[0]["DIRS"] = [*_dirs, BASE_DIR / "sharing_city/notifications/tests/templates"]

import sharing_city.notifications.tests.kinds  # noqa: E402, F401  (registers the test kind)
