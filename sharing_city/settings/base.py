"""Settings shared by every environment; production runs on these as they are.

Everything that differs between machines comes from the environment:
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, email and SMS settings.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SHARING_CITY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


# Production refuses to start without a real secret: a missing SECRET_KEY is a KeyError here.
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Layer 1: the shared base.
    "sharing_city.accounts",
    "sharing_city.notifications",
    "sharing_city.core",
    # Layer 2: the lending engine.
    "lending",
    # Layer 3: programmes.
    "tool_centres",
    "closets",
    "homeshare",
    "voice",
    # Layer 4: reads everything, writes nothing.
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sharing_city.core.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sharing_city.core.middleware.RefuseNulCharactersMiddleware",
    "sharing_city.core.middleware.ConstraintErrorMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sharing_city.accounts.middleware.MemberLanguageMiddleware",
    # Read-your-writes after a write when a replica serves reads (sharing_city/core/replica.py).
    "sharing_city.core.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A member who agreed to an earlier version of the terms or privacy notice agrees again.
    "sharing_city.accounts.consent.ConsentMiddleware",
    # After authentication (keys are per member) and messages; sharing_city/core/once.py.
    "sharing_city.core.once.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

# Benchmarks only (bin/run-bench): each response carries its SQL query count in X-DB-Queries.
if env_bool("BENCH_QUERY_HEADER", False):
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "sharing_city.urls"
WSGI_APPLICATION = "sharing_city.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sharing_city.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sharing_city.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share one SQLite file;
    # IMMEDIATE takes the write lock at BEGIN so locked transactions serialise.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming replica (bin/pg-replica; README, "Running with a replica"): pages and API lists
# marked replica-eligible read from it; writes, and a writer's own reads for a while, stay on
# the primary. sharing_city/core/replica.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A replica that is down costs a read 2 s once per REPLICA_CHECK_SECONDS, never a hang.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASE_ROUTERS = ["sharing_city.core.replica.ReplicaRouter"]
REPLICA_READS = "replica" in DATABASES and env_bool("REPLICA_READS", True)
# A writer's reads stay on the primary this long after their write.
REPLICA_READ_YOUR_WRITES_SECONDS = int(os.environ.get("REPLICA_READ_YOUR_WRITES_SECONDS", "10"))
# Reads skip a replica further behind than this, or one that does not answer.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
# How long one measurement of the replica's lag stands (in the shared cache).
REPLICA_CHECK_SECONDS = int(os.environ.get("REPLICA_CHECK_SECONDS", "5"))
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sharing_city.accounts.backends.EmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "core:home"
# Demo accounts (password "sharing-city-demo") only ever log in on a DEBUG site,
# unless an operator deliberately forces it for a public demo.
ALLOW_DEMO_LOGINS = env_bool("ALLOW_DEMO_LOGINS", False)

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them (2026-12-07, 오전 11:00; 7 Dec 2026, 11:00 AM).
FORMAT_MODULE_PATH = ["sharing_city.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True
CITY_SLUG = os.environ.get("CITY", "seoul")
# The country whose numbers residents type without a +code (sharing_city/accounts/phone.py).
PHONE_REGION = os.environ.get("PHONE_REGION", "KR")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache: Redis when configured (shared by every web process), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis down means slower, not broken: every cache error is a miss (IGNORE_EXCEPTIONS, logged),
# with short timeouts so a dead Redis costs a request ~0.3 s, not a hang. Sessions are
# cached_db (below): read from the database on a miss, written to it first.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.3")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters in a cache of their own (same server, own key prefix): resetting them
# does not throw away the cached figures, and the reverse.
CACHES["ratelimit"] = {
    **CACHES["default"],
    "KEY_PREFIX": "rl",
    "LOCATION": CACHES["default"].get("LOCATION", "ratelimit"),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Rate limits (README, "Rate limits"). Counters live in the cache.
# Proxies in front of the web server that append to X-Forwarded-For (the TLS proxy: 1).
# The client address is the entry that many places from the right; 0 = REMOTE_ADDR.
TRUSTED_PROXY_DEPTH = int(os.environ.get("TRUSTED_PROXY_DEPTH", "0"))
RATELIMIT_IP_META_KEY = "sharing_city.core.ratelimits.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_VIEW = "sharing_city.core.views.too_many_requests"
# Without the cache (Redis down) the limiter lets requests through: members can still log in,
# and guessing is slowed again as soon as Redis is back. The stated choice of issue 15.
RATELIMIT_FAIL_OPEN = True
# Logins (members' form and /admin/login/, shared counters): per username and per address.
LOGIN_RATE_PER_ADDRESS = os.environ.get("LOGIN_RATE_PER_ADDRESS", "10/m")
LOGIN_RATE_PER_USERNAME = os.environ.get("LOGIN_RATE_PER_USERNAME", "10/m")

# --- Email and SMS
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sharing City <noreply@sharing.city>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = os.environ.get("SMS_BACKEND", "sharing_city.notifications.sms.FileSMSBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))

# --- Notices (sharing_city.notifications)
# Links in emails and the calendar feed URL are absolute: this is the public address.
# Unset, it is the address `make run` serves (its PORT); a deployment must set it
# (`manage.py check --deploy` fails otherwise: notifications.E001).
SITE_URL_IS_SET = bool(os.environ.get("SITE_URL"))
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
# Right-hand side of every notice's stable Message-ID (<loan-1.loan_overdue.7.42@...>).
NOTICE_MESSAGE_ID_DOMAIN = os.environ.get("NOTICE_MESSAGE_ID_DOMAIN", "notices.sharing.city")
NOTICE_MAX_ATTEMPTS = int(os.environ.get("NOTICE_MAX_ATTEMPTS", "5"))
NOTICE_RETRY_BACKOFF = [timedelta(minutes=m) for m in (1, 5, 30, 120)]  # after attempt 1, 2, 3, 4+
NOTICE_DELIVERY_TIME_LIMIT = 60  # seconds; hard limit of one delivery task
# A `sending` claim older than this belongs to a dead worker and may be taken over. It must
# exceed NOTICE_DELIVERY_TIME_LIMIT, or a slow but live send is claimed again (check W002).
NOTICE_STALE_CLAIM = timedelta(seconds=int(os.environ.get("NOTICE_STALE_CLAIM_SECONDS", "180")))
# A new notice whose queued task has not claimed it by then is queued again by the sweep.
NOTICE_REDELIVER_GRACE = timedelta(seconds=60)

# --- Celery: Redis in production; an embedded filesystem broker needs no service.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # Must exceed the longest task, countdown or ETA, or a slow task runs twice.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
            "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
        }
    )
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic work. Each entry says why it runs when it does; apps add theirs below.
CELERY_BEAT_SCHEDULE: dict = {
    # Hourly: forget double-submit keys older than a day (sharing_city/core/once.py).
    "forget-once-requests": {"task": "core.forget_once_requests", "schedule": 3600.0},
    # Proves the beat -> broker -> worker path is alive; /healthz reads its timestamp.
    "heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    # Every minute: queue notices nobody is delivering (a lost queue message, a retry whose
    # backoff has passed, a claim left by a killed worker). This is why no notice is lost.
    "notices-redeliver": {"task": "notifications.redeliver", "schedule": 60.0},
}
# Nightly at 03:40: personal data retention (sharing_city/accounts/rights.py run_retention).
# Members who have not signed in for RETENTION_INACTIVE_YEARS are anonymised as if they had
# closed their account (skipped while something is out); proofs of enrolment are deleted
# RETENTION_PROOF_DAYS after the decision; notice bodies RETENTION_NOTICE_DAYS after sending.
RETENTION_INACTIVE_YEARS = int(os.environ.get("RETENTION_INACTIVE_YEARS", "3"))
RETENTION_PROOF_DAYS = int(os.environ.get("RETENTION_PROOF_DAYS", "30"))
RETENTION_NOTICE_DAYS = int(os.environ.get("RETENTION_NOTICE_DAYS", "90"))

# The versions of the terms of use and the privacy notice in force. Their texts are templates
# (sharing_city/accounts/templates/accounts/policies/<document>.<language>.html): publishing a
# new version means changing the text and this date in the same commit. A member who agreed to
# an earlier version is asked again on their next page (sharing_city/accounts/consent.py).
POLICY_VERSIONS = {"terms": "2026-12-07", "privacy": "2026-12-07"}
# Where members write about their personal data (the privacy notice names it).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "privacy@sharing-city.example")
CELERY_BEAT_SCHEDULE["accounts-retention"] = {
    "task": "accounts.retention",
    "schedule": crontab(hour=3, minute=40),
}
# Daily at 07:30 (before the working day): remind each coordinator of home-share check-ins
# due in two days and today. One reminder row per check-in and step, so a rerun sends nothing new.
CELERY_BEAT_SCHEDULE["homeshare-check-in-reminders"] = {
    "task": "homeshare.send_check_in_reminders",
    "schedule": crontab(hour=7, minute=30),
}
# Home-share matching: a city-wide run, or one with more host x student pairs than this, runs as
# the Celery task homeshare.run_matching (5,000 x 5,000 takes ~30 s and over 1 GB; see
# homeshare/README.md). The hard time limit must stay below the broker's visibility timeout.
HOMESHARE_MATCHING_ASYNC_PAIRS = int(os.environ.get("HOMESHARE_MATCHING_ASYNC_PAIRS", "250000"))
HOMESHARE_MATCHING_TIME_LIMIT = 900  # seconds
# Home-share screening: cities (by CITY slug, or "default") that require a background-check
# record for hosts before approval, besides the two references and the ID check every
# applicant needs.
HOMESHARE_HOST_BACKGROUND_CHECK = {"default": False}
# Students' proofs of enrolment: never under MEDIA_ROOT, so no media URL can reach them.
HOMESHARE_PRIVATE_ROOT = Path(os.environ.get("HOMESHARE_PRIVATE_ROOT", VAR_DIR / "private"))
# Every 5 minutes: add the loans returned or made since the last run to the reports' rollup
# tables ("figures as of" on the pages is that run's time; exact, and harmless run twice), then
# recompute the public figures of each district and the city (both languages) into the cache,
# so the dashboard and open data never make a visitor wait. Reports read the loans themselves
# when the rollups are older than REPORTS_ROLLUP_MAX_AGE.
CELERY_BEAT_SCHEDULE["reports-refresh-rollups"] = {
    "task": "reports.refresh_report_rollups",
    "schedule": 300.0,
}
REPORTS_ROLLUP_MAX_AGE = 3600  # seconds
# Daily at 08:00 (start of the working day): remind the owning place's staff and leads (or
# the district's staff) of residents' requests still unanswered after VOICE_REMIND_AFTER_DAYS
# working days (weekends and the place's closure days do not count). One notice per request,
# step and recipient, so a rerun or a duplicate delivery sends nothing new (voice/reminders.py).
CELERY_BEAT_SCHEDULE["voice-unanswered-reminders"] = {
    "task": "voice.remind_unanswered",
    "schedule": crontab(hour=8, minute=0),
}
VOICE_REMIND_AFTER_DAYS = int(os.environ.get("VOICE_REMIND_AFTER_DAYS", "3"))
# Nightly at 03:30: rebuild the rollups from every loan, so a catalogue correction (an item
# given another title, a title another category or value) reaches past loans by morning.
CELERY_BEAT_SCHEDULE["reports-rebuild-rollups"] = {
    "task": "reports.rebuild_report_rollups",
    "schedule": crontab(hour=3, minute=30),
}
_ = crontab  # apps use crontab() entries in this schedule

# --- Lending reminders (lending/sweeps.py). Steps are days, programme defaults (DOMAIN.md).
LENDING_DUE_SOON_DAYS = [1, 0]  # reminders the day before and on the due day
LENDING_OVERDUE_STEPS = [int(d) for d in env_list("LENDING_OVERDUE_STEPS", "1,7,14")]
LENDING_PRESUMED_LOST_DAYS = int(os.environ.get("LENDING_PRESUMED_LOST_DAYS", "30"))
# Member-facing sweeps run every 15 minutes in the daytime only: a reminder never arrives at
# night, and a sweep missed during an outage is made up within the quarter-hour. Every sweep
# is idempotent, so running often costs one indexed query. LENDING_SWEEP_SECONDS (set by the
# dev settings for the demo) replaces every lending schedule with that plain interval.
_LENDING_SWEEP_SECONDS = os.environ.get("LENDING_SWEEP_SECONDS")


def _lending(schedule: object) -> object:
    return float(_LENDING_SWEEP_SECONDS) if _LENDING_SWEEP_SECONDS else schedule


_DAYTIME = crontab(minute="*/15", hour="8-20")
CELERY_BEAT_SCHEDULE.update(
    {
        # Day-before and due-day reminders to borrowers.
        "lending-due-soon": {"task": "lending.sweep_due_soon", "schedule": _lending(_DAYTIME)},
        # Overdue notices at +1, +7, +14 days to borrowers.
        "lending-overdue": {"task": "lending.sweep_overdue", "schedule": _lending(_DAYTIME)},
        # Dated bookings whose day has come become ready; every ready booking is announced.
        "lending-bookings-ready": {
            "task": "lending.sweep_bookings_ready",
            "schedule": _lending(_DAYTIME),
        },
        # "Last day to collect" on the pickup deadline.
        "lending-pickup-reminders": {
            "task": "lending.sweep_pickup_reminders",
            "schedule": _lending(_DAYTIME),
        },
        # Just after midnight: yesterday was the last day to collect, so the booking expires
        # and the item goes to the next in line (whose ready notice waits for the daytime).
        "lending-expire-bookings": {
            "task": "lending.sweep_expired_bookings",
            "schedule": _lending(crontab(hour=0, minute=10)),
        },
        # Early morning, before desks open: long-overdue loans are presumed lost, staff told.
        "lending-presumed-lost": {
            "task": "lending.sweep_presumed_lost",
            "schedule": _lending(crontab(hour=6, minute=0)),
        },
        # Before opening: each place's volunteers get today's pickups, returns, overdue, repairs.
        "lending-place-digests": {
            "task": "lending.sweep_place_digests",
            "schedule": _lending(crontab(hour=7, minute=30)),
        },
        # Before opening: the overdue list of each place with late loans, to its volunteers.
        "lending-place-overdue-lists": {
            "task": "lending.sweep_place_overdue_lists",
            "schedule": _lending(crontab(hour=7, minute=45)),
        },
    }
)

# --- Open Closet (closets/). Programme defaults from DOMAIN.md; change them per city here.
CLOSET_SLOT_MINUTES = 30
CLOSET_SLOT_CAPACITY = 2
CLOSET_CANCEL_CUTOFF_HOURS = int(os.environ.get("CLOSET_CANCEL_CUTOFF_HOURS", "3"))
CLOSET_MAX_RENTAL_DAYS = 30  # extensions stop here, counted from the day of rental
# Pick the outfit up this many days before the interview (earliest, latest): 3 nights / 4 days
# then cover it. Bounded by core.bounds.PICKUP_LEAD_DAYS (checked at start-up).
CLOSET_PICKUP_DAYS_BEFORE = (3, 1)
# Past renters count as "similar" within these differences (height cm, weight kg).
CLOSET_SIMILAR_HEIGHT_CM = 1
CLOSET_SIMILAR_WEIGHT_KG = 1
# Garment minus body, in cm (foot in mm): a garment outside any window is not suggested.
CLOSET_FIT_TOLERANCES = {
    "men": {
        "neck": (-1, 2),
        "bust": (-3, 3),
        "waist": (-1, 2),
        "hip": (-2, 4),
        "topbelly": (-2, 4),
        "belly": (-2, 4),
        "arm": (-1, 2),
        "thigh": (-2, 3),
        "length": (-3, 2),
        "cuff": (-2, 2),
        "foot": (0, 5),
    },
    "women": {
        "neck": (-1, 2),
        "bust": (-2, 3),
        "waist": (-1, 2),
        "hip": (-2, 3),
        "topbelly": (-2, 4),
        "belly": (-2, 4),
        "arm": (-1, 2),
        "thigh": (-2, 3),
        "length": (-3, 2),
        "cuff": (-2, 2),
        "foot": (0, 5),
    },
}
# "Did you get the job?" is asked the day after the interview and once more this many days
# later if unanswered; its signed link works without signing in for CLOSET_OUTCOME_LINK_DAYS.
CLOSET_OUTCOME_ASK_AGAIN_DAYS = 7
CLOSET_OUTCOME_LINK_DAYS = 60
# Daily at 10:00: ask renters the day after their interview how it went, and once more a week
# later if unanswered (one notice per rental and step).
CELERY_BEAT_SCHEDULE["closets-follow-ups"] = {
    "task": "closets.send_follow_ups",
    "schedule": crontab(hour=10, minute=0),
}
# Every 15 minutes in the daytime: remind renters of tomorrow's fitting (one notice per visit).
CELERY_BEAT_SCHEDULE["closets-fitting-reminders"] = {
    "task": "closets.send_fitting_reminders",
    "schedule": crontab(minute="*/15", hour="8-20"),
}

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "sharing_city.core.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sharing_city.core.api.exceptions.exception_handler",
    # Per address (anon, read from TRUSTED_PROXY_DEPTH via NUM_PROXIES) or per member (user),
    # and a stricter limit on writes (POST, PUT, PATCH, DELETE) by either.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "sharing_city.core.ratelimits.WriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE_ANON", "120/min"),
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "write": os.environ.get("API_RATE_WRITE", "60/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_DEPTH or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sharing City API",
    "DESCRIPTION": "Catalogue, bookings, loans and programme data of the city's sharing platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the API's one error shape, {code, detail} (core.api.errors).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sharing_city.core.api.errors.add_error_schema",
    ],
    # Two models have a "kind" with different choices (places, garments): name them apart.
    "ENUM_NAME_OVERRIDES": {
        "GarmentKindEnum": "closets.models.Garment.Kind",
        "PlaceKindEnum": "lending.models.Place.Kind",
        "GarmentCareEnum": "closets.models.Garment.Care",
        "ColourEnum": "closets.models.Colour",
        "ReturnCareEnum": "closets.api.serializers.RETURN_CARE_CHOICES",
        "ApplicationCheckKindEnum": "homeshare.models.CheckKind",
        "ApplicationCheckOutcomeEnum": "homeshare.models.CheckOutcome",
        "RentalOutcomeEnum": "closets.models.Rental.Outcome",
        "LoanOutcomeEnum": "lending.models.Loan.Outcome",
        "AskKindEnum": "voice.models.Kind",
        "AskStatusEnum": "voice.models.Status",
        "ItemConditionEnum": "lending.models.Item.Condition",
        "ItemStatusEnum": "lending.models.Item.Status",
        "ReturnConditionEnum": "lending.models.Loan.ReturnCondition",
    },
}

# --- Security (production values; dev.py relaxes what a laptop needs)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache (Redis in production), written through to the database: one
# query fewer on every signed-in request, and nothing lost when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A repeat of a request still running waits this long for its result before a 409; a request
# still unfinished after the second figure died (longer than gunicorn's timeout) and frees its key.
ONCE_WAIT_SECONDS = float(os.environ.get("ONCE_WAIT_SECONDS", "5"))
ONCE_ABANDONED_AFTER_SECONDS = int(os.environ.get("ONCE_ABANDONED_AFTER_SECONDS", "120"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Phone numbers typed into paths or forms are masked before anything is written.
    "filters": {"redact": {"()": "sharing_city.core.redact.RedactPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Demo data loaders, in order; each app contributes its own (see core.load_demo).
DEMO_LOADERS = [
    "sharing_city.accounts.demo.load",
    "lending.demo.load",
    "tool_centres.demo.load",
    "homeshare.demo.load",
    "closets.demo.load",
    "voice.demo.load",
    "reports.demo.load",
]
# The demo draws a photo for each title (Pillow, nothing downloaded) unless this is off.
DEMO_PHOTOS = env_bool("DEMO_PHOTOS", True)
