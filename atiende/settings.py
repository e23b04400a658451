"""Atiende settings: every value comes from the environment, with a typed default.

Secrets also accept a `<NAME>_FILE` variant holding a path to a file with the value
(Docker/systemd credentials). See README.md for the table of variables.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("ATIENDE_VAR_DIR", str(BASE_DIR / "var")))
DEMO = env_bool("ATIENDE_DEMO", False)
DEBUG = env_bool("DEBUG", DEMO)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # The demo keeps a generated key under var/ so sessions survive a restart.
    from django.core.management.utils import get_random_secret_key

    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key(), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ATIENDE_CSRF_TRUSTED_ORIGINS")
ATIENDE_BASE_URL = env_str("ATIENDE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "atiende.accounts",
    "atiende.jobs",
    "atiende.outbox",
    "atiende.mail",
    "atiende.backup",
    "atiende.tickets",
    "atiende.sla",
    "atiende.billing",
    "atiende.portal",
    "atiende.desk",
    "atiende.demo",
    "atiende.ui",
    "atiende.webhooks",
    "atiende.monitoring",
    "atiende.whatsapp",
    "atiende.api",
    "atiende.knowledge",
    "atiende.incidents",
    "atiende.satisfaction",
    "atiende.rollups",
    "atiende.reviews",
    "atiende.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "atiende.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "atiende.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "atiende.accounts.middleware.AgentTwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "atiende.urls"
WSGI_APPLICATION = "atiende.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "atiende.portal.context.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'atiende.sqlite3'}"),
        conn_max_age=env_int("ATIENDE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait
    # (busy timeout) instead of failing with "database is locked" on lock upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for a help desk's short queries on data that fits in memory or on
    # SSDs (see docs/decisions.md): random reads cost little more than sequential ones,
    # JIT compilation costs more than it saves on queries that return 50 rows, and a
    # search's bitmap of matching tickets stays exact (not lossy) in 16 MB.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "ATIENDE_PG_OPTIONS", "-c random_page_cost=1.1 -c jit=off -c work_mem=16MB"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# A form sent with an expired session gets our page, with the way back to its draft.
CSRF_FAILURE_VIEW = "atiende.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts are issued by the provider: sign-in by email, no self sign-up.
ACCOUNT_ADAPTER = "atiende.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an unknown address sends nothing (allauth would invite to sign up).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Addresses are issued by the provider (never self-registered), so allauth's unverified
# flag, set by any reset request, must not block turning on two-step authentication.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = env_str("ATIENDE_SITE_NAME", "Atiende")

SESSION_COOKIE_AGE = env_int("ATIENDE_SESSION_IDLE_MINUTES", 8 * 60) * 60
# Activity keeps a session alive, but a page view does not write it each time: the expiry
# is renewed at most this often (accounts.middleware.SessionRefreshMiddleware).
ATIENDE_SESSION_REFRESH_SECONDS = env_int("ATIENDE_SESSION_REFRESH_SECONDS", 5 * 60)

LANGUAGE_CODE = env_str("ATIENDE_LANGUAGE", "es")
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("ATIENDE_TIME_ZONE", "America/Bogota")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache and sessions: Redis when REDIS_URL is set (stateless web servers). Otherwise files
# under var/cache, shared by every process of the machine (gunicorn's workers, the periodic
# jobs): sign-in limits, job locks and presence hold across processes, not per worker.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    # Sessions are kept in the database and read through the file cache: a page reads a
    # file instead of querying, and a session the cache let go is read from the table.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Each web process keeps the HTML of the messages it drew (desk/workspace/fragments.py) in
# its own memory: a message never changes, so nothing needs telling the other processes.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("ATIENDE_FRAGMENT_CACHE_ENTRIES", 20_000)},
}

# Attachments: any S3-compatible object store when a bucket is named (every web server and
# worker then sees the same files), the filesystem under var/media otherwise. Files are
# always served through the permission-checked view, never by URL from the store.
ATIENDE_S3_BUCKET = env_str("ATIENDE_S3_BUCKET")
if ATIENDE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATIENDE_S3_BUCKET,
            "endpoint_url": env_str("ATIENDE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("ATIENDE_S3_REGION") or None,
            # Unset: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": env_str("ATIENDE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("ATIENDE_S3_SECRET_ACCESS_KEY") or None,
            "addressing_style": env_str("ATIENDE_S3_ADDRESSING_STYLE") or None,
            "location": env_str("ATIENDE_S3_PREFIX"),
            "default_acl": None,
            "file_overwrite": False,
        },
    }

# Background jobs (Celery). With a broker, tasks go to workers and `celery -A atiende beat`
# (exactly one) sends the periodic jobs; without one, tasks run in the calling process and
# `atiende run_periodic` runs the periodic jobs (`make run` starts it).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "atiende"
# A task is acknowledged when it ends, not when it starts, and a worker takes one task at
# a time: a worker that dies leaves its task to be delivered again to another.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task to another worker after this long; longer than any task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("ATIENDE_CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic jobs: task name -> seconds between runs (0 turns one off). See atiende/jobs.
ATIENDE_PERIODIC_JOBS = {
    "atiende.mail.poll": env_int("ATIENDE_POLL_SECONDS", 60),
    "atiende.sla.sweep": env_int("ATIENDE_SLA_SWEEP_SECONDS", 60),
    "atiende.outbox.deliver_due": env_int("ATIENDE_OUTBOX_RETRY_SECONDS", 60),
}
# A periodic run holds its lock at most this long (or 5 intervals); the worker stops it then.
ATIENDE_JOB_MAX_SECONDS = env_int("ATIENDE_JOB_MAX_SECONDS", 300)
# How long a worker owns a queued email it is sending before another may try it.
ATIENDE_OUTBOX_CLAIM_SECONDS = 600

# Outgoing webhooks (atiende/webhooks): signed POSTs to subscribers, queued with the change.
# Destinations on loopback, private, link-local or other non-public addresses are refused
# unless ATIENDE_WEBHOOKS_ALLOW_PRIVATE (a receiver on the same network, tests).
ATIENDE_WEBHOOKS_ALLOW_PRIVATE = env_bool("ATIENDE_WEBHOOKS_ALLOW_PRIVATE", False)
# A PEM file of certificate authorities to trust for https receivers besides the public
# ones (a client's intranet on its own PKI). Empty: the public authorities only.
ATIENDE_WEBHOOKS_CA_BUNDLE = env_str("ATIENDE_WEBHOOKS_CA_BUNDLE", "")
ATIENDE_WEBHOOKS_TIMEOUT_SECONDS = env_int("ATIENDE_WEBHOOKS_TIMEOUT_SECONDS", 10)
# A delivery is retried (1, 2, 4… minutes) for this long, then it has failed.
ATIENDE_WEBHOOKS_RETRY_HOURS = env_int("ATIENDE_WEBHOOKS_RETRY_HOURS", 24)
# A subscription whose deliveries failed this many times in a row is turned off.
ATIENDE_WEBHOOKS_DISABLE_AFTER = env_int("ATIENDE_WEBHOOKS_DISABLE_AFTER", 5)
ATIENDE_WEBHOOKS_CLAIM_SECONDS = 120
ATIENDE_PERIODIC_JOBS["atiende.webhooks.deliver_due"] = env_int("ATIENDE_WEBHOOKS_RETRY_SECONDS", 60)
ATIENDE_PERIODIC_JOBS["atiende.api.prune_idempotency"] = env_int("ATIENDE_API_PRUNE_SECONDS", 3600)
# The reports' daily figures: today and yesterday recounted this often.
ATIENDE_PERIODIC_JOBS["atiende.rollups.roll_up"] = env_int("ATIENDE_ROLLUP_SECONDS", 900)
# The monthly service reviews: each run sends what is due (on the provider's first working
# day of a month, the previous month's review to each company that has it enabled, once).
ATIENDE_PERIODIC_JOBS["atiende.reviews.send_due"] = env_int("ATIENDE_REVIEW_SECONDS", 3600)

# WhatsApp (atiende/whatsapp): the numbers are configured in the admin; these are the
# installation's rules. Phones typed without a country code are read in this region.
# A resolution may be rated, and its rating changed, for this many days (never once closed).
ATIENDE_CSAT_CHANGE_DAYS = env_int("ATIENDE_CSAT_CHANGE_DAYS", 7)

ATIENDE_PHONE_REGION = env_str("ATIENDE_PHONE_REGION", "CO")
ATIENDE_WHATSAPP_GRAPH_URL = env_str("ATIENDE_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
ATIENDE_WHATSAPP_TIMEOUT_SECONDS = env_int("ATIENDE_WHATSAPP_TIMEOUT_SECONDS", 20)
# A message continues the contact's open WhatsApp ticket active in this many days.
ATIENDE_WHATSAPP_CONTINUE_DAYS = env_int("ATIENDE_WHATSAPP_CONTINUE_DAYS", 7)
ATIENDE_WHATSAPP_MAX_BODY_BYTES = env_int("ATIENDE_WHATSAPP_MAX_BODY_BYTES", 1024 * 1024)
ATIENDE_WHATSAPP_MAX_MEDIA_BYTES = env_int("ATIENDE_WHATSAPP_MAX_MEDIA_BYTES", 25 * 1024 * 1024)
# A worker holds a message this long while sending it; longer than the Graph API timeout.
ATIENDE_WHATSAPP_CLAIM_SECONDS = env_int("ATIENDE_WHATSAPP_CLAIM_SECONDS", 300)
ATIENDE_PERIODIC_JOBS["atiende.whatsapp.process_pending"] = env_int("ATIENDE_WHATSAPP_RETRY_SECONDS", 60)
ATIENDE_PERIODIC_JOBS["atiende.whatsapp.deliver_due"] = env_int("ATIENDE_WHATSAPP_RETRY_SECONDS", 60)

# Email: SMTP when EMAIL_HOST is set; otherwise messages are written to var/mail so the
# demo's password-reset links can be read without a mail server.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Atiende <soporte@atiende.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# Attachments: limits users see beside the upload field and get as a refusal reason.
ATIENDE_MAX_ATTACHMENT_MB = env_int("ATIENDE_MAX_ATTACHMENT_MB", 20)
ATIENDE_MAX_ATTACHMENTS_TOTAL_MB = env_int("ATIENDE_MAX_ATTACHMENTS_TOTAL_MB", 50)

# Security. Production (DEBUG off) defaults to HTTPS-only cookies and HSTS.
HTTPS = env_bool("ATIENDE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("ATIENDE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("ATIENDE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ATIENDE_LOG_LEVEL", "INFO")},
    # With no broker every email is an in-process task run: a line for each is noise.
    # Workers keep them (operators read them, and so does the scale-out test).
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}

STATICFILES_DIRS = [BASE_DIR / "static"]

# The API (atiende/api, docs/api.md): tokens or the browser's session; errors as RFC 9457
# problem details; cursor pagination; OpenAPI 3.1 from drf-spectacular.
# API requests per token (or signed-in user), counted in the shared cache: "600/min".
ATIENDE_API_RATE = env_str("ATIENDE_API_RATE", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "atiende.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "atiende.api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["atiende.api.throttles.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": ATIENDE_API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "atiende.api.errors.problem_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Atiende API",
    "DESCRIPTION": "Tickets, contacts and companies of the Atiende help desk. See docs/api.md.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# How else contacts can reach support, shown on every portal page.
ATIENDE_SUPPORT_PHONE = env_str("ATIENDE_SUPPORT_PHONE")
ATIENDE_SUPPORT_WHATSAPP = env_str("ATIENDE_SUPPORT_WHATSAPP")
ATIENDE_SUPPORT_EMAIL = env_str("ATIENDE_SUPPORT_EMAIL", "soporte@atiende.test")
# Who the provider is: the name and logo the set-up checklist asks for.
ATIENDE_SITE_NAME = env_str("ATIENDE_SITE_NAME", "Atiende")
ATIENDE_LOGO_URL = env_str("ATIENDE_LOGO_URL")
# Engineers must set up two-step sign-in (TOTP) before they can use the desk.
ATIENDE_AGENTS_REQUIRE_2FA = env_bool("ATIENDE_AGENTS_REQUIRE_2FA", False)
FORMAT_MODULE_PATH = ["atiende.formats"]

# Billing: the provider as statements name it, and the defaults for on-demand support
# (tickets under no contract) — contracts carry their own terms.
ATIENDE_PROVIDER_NAME = env_str("ATIENDE_PROVIDER_NAME", env_str("ATIENDE_SITE_NAME", "Atiende"))
ATIENDE_PROVIDER_TAX_ID = env_str("ATIENDE_PROVIDER_TAX_ID")
ATIENDE_PROVIDER_ADDRESS = env_str("ATIENDE_PROVIDER_ADDRESS")
ATIENDE_PROVIDER_LOGO = env_str("ATIENDE_PROVIDER_LOGO")  # a PNG/SVG file path for statements
ATIENDE_BILLING_CURRENCY = env_str("ATIENDE_BILLING_CURRENCY", "COP")
ATIENDE_BILLING_TAX_RATE = env_str("ATIENDE_BILLING_TAX_RATE", "19")
ATIENDE_BILLING_INCREMENT_MINUTES = env_int("ATIENDE_BILLING_INCREMENT_MINUTES", 15)
# Engineers record the time spent before resolving or closing a ticket (as Znuny's NeedAccountedTime).
ATIENDE_REQUIRE_TIME_TO_RESOLVE = env_bool("ATIENDE_REQUIRE_TIME_TO_RESOLVE", False)

# Mail in. Messages larger than this are stored and quarantined, not processed.
ATIENDE_MAIL_MAX_BYTES = env_int("ATIENDE_MAIL_MAX_BYTES", 25 * 1024 * 1024)
# Senders that are no contact and whose domain belongs to no company: "refuse" (stored,
# quarantined, and the sender is told how to reach support) or "catch-all" (a contact is
# created in the company named by ATIENDE_MAIL_CATCH_ALL_COMPANY).
ATIENDE_MAIL_UNKNOWN_SENDERS = env_str("ATIENDE_MAIL_UNKNOWN_SENDERS", "refuse")
ATIENDE_MAIL_CATCH_ALL_COMPANY = env_str("ATIENDE_MAIL_CATCH_ALL_COMPANY")
# Noise limits per sender: automatic answers we send per hour, tickets opened per day.
ATIENDE_MAIL_AUTOREPLIES_PER_HOUR = env_int("ATIENDE_MAIL_AUTOREPLIES_PER_HOUR", 5)
ATIENDE_MAIL_TICKETS_PER_DAY = env_int("ATIENDE_MAIL_TICKETS_PER_DAY", 30)
# All automatic answers together, per hour (backscatter from forged senders stays bounded).
ATIENDE_MAIL_AUTOREPLIES_TOTAL_PER_HOUR = env_int("ATIENDE_MAIL_AUTOREPLIES_TOTAL_PER_HOUR", 100)
# More files than this in one message: it is quarantined whole, never half-stored.
ATIENDE_MAIL_MAX_ATTACHMENTS = env_int("ATIENDE_MAIL_MAX_ATTACHMENTS", 100)
# Who really sent a message (docs/security.md, "Mail authentication"). Our notices carry
# a signed per-recipient token in Reply-To (support address + separator + token) and in
# their Message-IDs; a reply carrying a valid token for its sender is verified.
ATIENDE_MAIL_REPLY_TOKENS = env_bool("ATIENDE_MAIL_REPLY_TOKENS", True)
ATIENDE_MAIL_REPLY_TOKEN_SEPARATOR = env_str("ATIENDE_MAIL_REPLY_TOKEN_SEPARATOR", "+")
# Authentication-Results headers are believed only from these authserv-ids (your MTA's).
ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS = env_list("ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS")
# DMARC-style alignment of a passing DKIM/SPF domain with the From domain: "relaxed"
# (a subdomain counts) or "strict" (the same domain only).
ATIENDE_MAIL_ALIGNMENT = env_str("ATIENDE_MAIL_ALIGNMENT", "relaxed")
if ATIENDE_MAIL_ALIGNMENT not in {"relaxed", "strict"}:
    raise ImproperlyConfigured("ATIENDE_MAIL_ALIGNMENT must be relaxed or strict")
# Check DKIM signatures in process (dkimpy), with this DNS server ("host:port"; empty: the system's).
ATIENDE_MAIL_VERIFY_DKIM = env_bool("ATIENDE_MAIL_VERIFY_DKIM", False)
ATIENDE_MAIL_DNS_RESOLVER = env_str("ATIENDE_MAIL_DNS_RESOLVER")
# New tickets from unverified senders: "accept" (opened and marked) or "quarantine".
ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS = env_str("ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS", "accept")
if ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS not in {"accept", "quarantine"}:
    raise ImproperlyConfigured("ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS must be accept or quarantine")
# The header that marks our own mail; a message carrying it is never processed again.
ATIENDE_LOOP_HEADER = "X-Atiende-Loop"

# Knowledge base. Public articles readable without signing in (links from the provider's
# website); otherwise only contacts and engineers read articles.
ATIENDE_KB_PUBLIC = env_bool("ATIENDE_KB_PUBLIC", True)
# A suggestion read on *Nuevo Ticket* counts as a deflection unless its reader sends a
# ticket within this many minutes.
ATIENDE_KB_DEFLECTION_MINUTES = env_int("ATIENDE_KB_DEFLECTION_MINUTES", 60)
# Suggestions shown while a ticket is written.
ATIENDE_KB_SUGGESTIONS = env_int("ATIENDE_KB_SUGGESTIONS", 5)

# Major incidents. A new ticket is compared with the same company's tickets of the last
# ATIENDE_INCIDENT_SIMILAR_DAYS days and with every company's of the last
# ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES minutes; it is flagged "posible mismo incidente"
# when the share of words they have in common reaches ATIENDE_INCIDENT_SIMILARITY percent.
ATIENDE_INCIDENT_DETECT = env_bool("ATIENDE_INCIDENT_DETECT", True)
ATIENDE_INCIDENT_SIMILARITY = env_int("ATIENDE_INCIDENT_SIMILARITY", 40) / 100
ATIENDE_INCIDENT_SIMILAR_DAYS = env_int("ATIENDE_INCIDENT_SIMILAR_DAYS", 7)
ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES = env_int("ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES", 120)
# Whether a ticket gathered under a major incident stops its service-level clocks while
# linked (each incident can choose otherwise when it is declared).
ATIENDE_INCIDENT_PAUSE_SLA = env_bool("ATIENDE_INCIDENT_PAUSE_SLA", True)
# Alerts of these severities declare their ticket a major incident at once.
ATIENDE_INCIDENT_ALERT_SEVERITIES = env_list("ATIENDE_INCIDENT_ALERT_SEVERITIES", "critical")
