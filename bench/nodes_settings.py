"""Settings of bench/nodes.py's web nodes and workers: run-bench's (sharing_city.settings.base,
configured from the environment) plus two things a shared machine needs.

- The notice deliveries the nodes queue go to the run's own queue (NODES_QUEUE), which only its
  two workers consume, so no other run's worker on the same Redis takes them.
- Mail is written to files (NODES_MAIL_DIR), so the run can count the messages each notice
  produced; nothing listens on the SMTP port here.
"""

import os

from sharing_city.settings.base import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ.get("NODES_QUEUE", "celery")
if os.environ.get("NODES_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["NODES_MAIL_DIR"]
