"""Tests: fast hashing, in-memory SQLite unless DATABASE_URL points at PostgreSQL."""

import os
import tempfile

os.environ.setdefault("SHARING_CITY_VAR_DIR", tempfile.mkdtemp(prefix="sharing-city-test-"))

from .dev import *  # noqa: F403
from .dev import BASE_DIR, DATABASES, STATICFILES_DIRS, VAR_DIR

if "replica" in DATABASES:
    # The real streaming replica replicates the whole cluster, so it holds the test database the
    # runner creates on the primary: MIRROR points the alias at that name (and creates nothing)
    # on the replica's own host and port. Only tests marked `replica` route reads to it (they
    # turn REPLICA_READS on): the rest run in rolled-back transactions the replica never sees.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPLICA_READS = False

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
SMS_FILE_PATH = VAR_DIR / "sms"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Tasks are queued on commit and run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
# One process's memory: tests stay isolated from each other's runs even when REDIS_URL is set
# (the Redis paths are exercised by the compose and worker tests in their own processes).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
}
# Demo loads in tests skip drawing photos (7 s a load); lending/tests/test_thumbnails.py draws them.
DEMO_PHOTOS = False
# The browser tests load axe-core from the live server (/static/axe.min.js) rather than pasting
# its 650 KB into each page: the browser compiles it once per test instead of once per check.
AXE_CORE_DIR = BASE_DIR / "node_modules" / "axe-core"
if AXE_CORE_DIR.is_dir():
    STATICFILES_DIRS = [*STATICFILES_DIRS, AXE_CORE_DIR]
