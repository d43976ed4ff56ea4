"""Settings for the IOM UK counter-trafficking portal, read from the environment.

With nothing set the portal runs on embedded defaults (SQLite, tasks run eagerly,
email to the console) when DEBUG is on. With DEBUG off it refuses to start without a
real SECRET_KEY, ALLOWED_HOSTS and FIELD_ENCRYPTION_KEY.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from iomuk.keys import KEY_RULE, is_strong_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-with-debug-off"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("Set SECRET_KEY: the portal will not start without one.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS, for example ALLOWED_HOSTS=portal.example.org.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Key for the encrypted personal-data fields. Several keys may be given, comma separated:
# the first encrypts, all decrypt, so a key can be rotated without losing data (`reencrypt`).
# A key is a Fernet key (44 characters) or a passphrase, stretched with scrypt (iomuk/fields.py).
# The dev key is the key the old single-hash stretching made of the old dev passphrase, so a
# developer's database stays readable.
_DEV_FIELD_KEY = "zzVb2ETHWEtK-tfpesn6EJwkub0kO3EVLgy1Y2ihL40="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[_DEV_FIELD_KEY] if DEBUG else [])
if not FIELD_ENCRYPTION_KEYS or (not DEBUG and _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY: personal data is encrypted with it.")
# The key that encrypts must be strong in production (`check --deploy` says so too, iomuk.E001).
if not DEBUG and not is_strong_key(FIELD_ENCRYPTION_KEYS[0]):
    raise ImproperlyConfigured(KEY_RULE)

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_countries",  # every country's name (ISO 3166), in the reader's language
]
LOCAL_APPS = [
    "iomuk",
    "training",
    "returns",
    "iris",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads or changes a body; the API's answers only (see its doc).
    "iomuk.middleware.ApiGZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "iomuk.middleware.NoStoreByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iomuk.middleware.LocaleMiddleware",  # Django's, and a link's ?lang= (emailed links)
    "iomuk.middleware.RefuseNulBytesMiddleware",
    "iomuk.middleware.RefuseLargeBodiesMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "iomuk.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception is the first asked: a lost database connection is a 503.
    "iomuk.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "iomuk.urls"
WSGI_APPLICATION = "iomuk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iomuk.context_processors.portal",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Data: PostgreSQL from DATABASE_URL, else a local SQLite file
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: one writer at a time; wait for the lock rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The roster's word index carries its filters as non-key columns on PostgreSQL only;
    # SQLite reads them from the table, which is right, if slower.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Django's backends, with a flush that keeps the access log append-only (iomuk/db/).
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "iomuk.db."
)
# PostgreSQL: `migrate` runs as the tables' owner and grants this role what the portal needs,
# less UPDATE, DELETE and TRUNCATE on the access log; web processes and workers sign in as it.
DATABASE_RUNTIME_ROLE = env.str("DATABASE_RUNTIME_ROLE", default="")
# Sign in as one role and work as another (SET ROLE): the test suite's own processes do this.
assume_role = env.str("DATABASE_ASSUME_ROLE", default="")
if assume_role and DATABASES["default"]["ENGINE"] == "iomuk.db.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["assume_role"] = assume_role
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iomuk",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of the page frame that are the same for every visitor in a language (base.html's
# `{% cache %}` blocks: the header's links, the help line, the footer), drawn once per process
# and language. Never anything from a request or the database. Not kept while developing, so
# an edited template shows at once.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends."
    + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
    "LOCATION": "template-fragments",
}

# ---------------------------------------------------------------------------
# Celery: Redis as broker when REDIS_URL is set, else tasks run in-process
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must not hang on a broker that is down: the outbox keeps the mail.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": 3600,
}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "outbox-requeue": {
        "task": "iomuk.tasks.requeue_outbox",
        "schedule": timedelta(seconds=env.int("OUTBOX_REQUEUE_EVERY", default=120)),
    },
    "outbox-prune": {
        "task": "iomuk.tasks.prune_outbox",
        "schedule": timedelta(hours=24),
    },
    # Anonymises what is past its retention period in every app (periods in each app's section).
    "retention": {
        "task": "iomuk.tasks.apply_retention",
        "schedule": timedelta(hours=24),
    },
    "clear-expired-sessions": {
        "task": "iomuk.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=1),
    },
    "prune-held-uploads": {
        "task": "iomuk.tasks.prune_held_uploads",
        "schedule": timedelta(hours=1),
    },
}

# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
# EMAIL_URL: consolemail:// (default), smtp://user:pass@host:25, submission://… (STARTTLS).
vars().update({k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v})
if not DEBUG and not env.str("EMAIL_URL", default=""):
    # No mail server set in production: say a message would go, never print its body.
    EMAIL_BACKEND = "iomuk.mail.RedactedConsoleBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IOM UK <no-reply@iom-uk.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# How many times the outbox tries a message before it is marked failed for a person to see.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# How many messages one delivery task sends over one mail-server connection.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
# A message still pending this long (its task lost with a worker, say) is queued again.
OUTBOX_REQUEUE_AFTER = env.int("OUTBOX_REQUEUE_AFTER", default=60)
# A message a worker took but did not mark sent within this many seconds (the worker died) is
# put back and sent again. A worker starts no send later than 2 × EMAIL_TIMEOUT before it ends.
OUTBOX_LEASE = env.int("OUTBOX_LEASE", default=300)
# Sent and failed messages (their bodies name people) are deleted after this many days.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)

# ---------------------------------------------------------------------------
# Auth
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "iomuk.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins pause signing in for an hour: after 5 for one account from one address (so
# colleagues behind one office address are not locked out by one person's mistakes), or after
# 50 from one address across all accounts (iomuk.accounts.SignInFailureHandler counts these).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "iomuk.accounts.SignInFailureHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines name the account: keep them out of the logs
# Lockouts count by the client's address as iomuk/client.py finds it (an IPv6 /64 as one).
AXES_CLIENT_IP_CALLABLE = "iomuk.client.client_lockout_address"
OTP_TOTP_ISSUER = "IOM UK portal"
# A device's secret is never shown in the admin: authenticators are enrolled only by the
# one-time set-up link, so nobody needs to read a key or its QR code back.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The change history of records is evidence: administrators read it, nobody rewrites it.
SIMPLE_HISTORY_REVERT_DISABLED = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
# Reset emails one client may ask for, and one address may be sent: (count, seconds).
PASSWORD_RESET_CLIENT_LIMIT = (env.int("PASSWORD_RESET_CLIENT_LIMIT", default=20), 60 * 60)
PASSWORD_RESET_ACCOUNT_LIMIT = (env.int("PASSWORD_RESET_ACCOUNT_LIMIT", default=5), 60 * 60)
# Set-up links (for the authenticator) an account may ask for: (count, seconds).
SET_UP_LINK_LIMIT = (env.int("SET_UP_LINK_LIMIT", default=3), 60 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)  # idle timeout
# However busy, a signed-in session ends this long after the password was given.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# ---------------------------------------------------------------------------
# Language and time
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", _("English")),
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("hu", _("Hungarian")),
    ("ro", _("Romanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Long dates as each language writes them ("15. prosince 2026", "2026. december 15."), where
# Django's own formats differ; every page and email prints them through iomuk.dates.
FORMAT_MODULE_PATH = ["iomuk.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and private files
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        # Outside the web root: uploads are only ever served by views that check permission.
        # Encrypted on disk with FIELD_ENCRYPTION_KEY, readable by the portal's user only.
        "BACKEND": "iomuk.storage.EncryptedFileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# The most files one form takes (complaint evidence), held ones included.
UPLOAD_MAX_FILES = 5
# What a form holds besides its files (Django refuses more, the files not counted).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest request body the portal takes: the largest form, its files and the rest. A bigger
# one is refused with 413 as it arrives, before a byte of it is read (iomuk.middleware).
# nginx's client_max_body_size in front must be at least this (README, "Scaling out").
REQUEST_MAX_BYTES = UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
# Files attached to a form that came back with an error are kept this long for it to be sent
# again, then deleted (iomuk/held_uploads.py).
HELD_UPLOAD_HOURS = env.int("HELD_UPLOAD_HOURS", default=2)

# Widget templates are looked up in templates/ too (the honeypot input lives there).
FORM_RENDERER = "iomuk.form_renderer.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# crispy names a field's widget in its classes: a select drawn from kept options is a select.
CRISPY_CLASS_CONVERTERS = {"keptselect": "select"}

# ---------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------------------
# Proxies: how many stand in front of the portal, each appending its peer to X-Forwarded-For.
# The client's address is that many entries from the right (iomuk/client.py); with 0 the
# header is ignored, since anyone can send it. Behind one TLS proxy it is 1.
# ---------------------------------------------------------------------------
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT counts proxies: 0 or more.")

# ---------------------------------------------------------------------------
# Logging: no personal data is ever logged; records name ids and references only.
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"path_as_view_name": {"()": "iomuk.log_filters.PathAsViewName"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django logs the path of every 4xx and 5xx; tokens in paths are secrets, so keep them
        # out: no 4xx at all, and each 5xx named by its view.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["path_as_view_name"],
        },
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# ---------------------------------------------------------------------------
# Portal
# ---------------------------------------------------------------------------
# Each number as people read it, and as a tel: link dials it (E.164: no spaces, no leading 0).
HELPLINE_NUMBER = "08000 121 700"
HELPLINE_NUMBER_TEL = "+448000121700"
IOM_UK_PHONE = "020 7800 6000"
IOM_UK_PHONE_TEL = "+442078006000"
# When someone answers that phone: weekdays, from and to (UK time).
IOM_UK_PHONE_HOURS = ("09:00", "17:00")
# The address people write to (privacy requests, accessibility problems, a refused application):
# someone reads it. Set it to IOM UK's own before going live; mail is sent from DEFAULT_FROM_EMAIL.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="contact@iom-uk.example")
# Who accredits the training for continuing professional development: a fact of the deployment,
# named on the training pages. Empty: the pages say "CPD accredited" without naming anyone.
CPD_ACCREDITED_BY = env.str("CPD_ACCREDITED_BY", default="")
# IOM's own IRIS site: its international list of certified recruiters, and how to join IRIS.
IRIS_WEBSITE_URL = "https://iris.iom.int/"
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
# Public forms must send back the signed time their page was opened (tests post without it).
HUMAN_CHECK_REQUIRE_START_STAMP = True
# Per-address limits on public forms: (submissions, seconds). IRIS forms have their own below.
TRAINING_BOOKING_LIMIT = (env.int("TRAINING_BOOKING_LIMIT", default=10), 10 * 60)
TRAINING_REQUEST_LIMIT = (env.int("TRAINING_REQUEST_LIMIT", default=5), 10 * 60)
# Certificate codes checked per client, by the form or the check page (a check through the form
# counts twice): a real checker stays well under it, a script guessing codes does not.
CERTIFICATE_LOOKUP_LIMIT = (env.int("CERTIFICATE_LOOKUP_LIMIT", default=60), 10 * 60)
# Where "Exit this page" goes: a neutral site that gives nothing away.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.bbc.co.uk/weather")

# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------
# How long a seat offered from the waiting list is held for the person offered it.
TRAINING_OFFER_HOLD_HOURS = env.int("TRAINING_OFFER_HOLD_HOURS", default=48)
# The session list pages through and counts at most this many sessions: past it the page says
# "or more" and asks for a narrower choice, so it costs the same however many are open (as the
# roster does, IRIS_ROSTER_MOST_LISTED).
TRAINING_MOST_LISTED = 1000
CELERY_BEAT_SCHEDULE["training-expire-offers"] = {
    "task": "training.tasks.expire_offers",
    "schedule": timedelta(minutes=15),
}
CELERY_BEAT_SCHEDULE["training-send-reminders"] = {
    "task": "training.tasks.send_reminders",
    "schedule": timedelta(hours=1),
}
# This many days after a session ends, its bookings lose the attendee's name, email,
# organisation, job title and requirements (once any certificate due has been issued).
# Sector, state and attendance stay, so the figures still add up.
TRAINING_RETENTION_DAYS = env.int("TRAINING_RETENTION_DAYS", default=180)
# Answered requests for an adapted session lose the contact's name, email and phone and the free
# text this many days after they were made; organisation, sector, size and format stay.
TRAINING_REQUEST_RETENTION_DAYS = env.int("TRAINING_REQUEST_RETENTION_DAYS", default=365)


# ---------------------------------------------------------------------------
# Returns
# ---------------------------------------------------------------------------
# Finished cases (closed, withdrawn, not eligible) are anonymised this many days after their
# last stage move: the person's details and all free text go, notes and documents (with their
# files) are deleted; reference, stage, country and dates stay for the figures.
RETURNS_RETENTION_DAYS = env.int("RETURNS_RETENTION_DAYS", default=2 * 365)
# After departure, a follow-up is due this many months later, each (if the person agreed to
# follow-up calls); its caseworker is emailed once, this many days before it is due.
RETURNS_FOLLOW_UP_MONTHS = tuple(env.list("RETURNS_FOLLOW_UP_MONTHS", cast=int, default=[3, 6, 12]))
RETURNS_FOLLOW_UP_REMIND_DAYS = env.int("RETURNS_FOLLOW_UP_REMIND_DAYS", default=7)
CELERY_BEAT_SCHEDULE["returns-remind-follow-ups"] = {
    "task": "returns.tasks.remind_follow_ups",
    "schedule": timedelta(hours=1),
}


# ---------------------------------------------------------------------------
# IRIS
# ---------------------------------------------------------------------------
# Where the urgent "someone is in danger now" alerts and new-complaint notices go.
IRIS_OFFICERS_EMAIL = env.str("IRIS_OFFICERS_EMAIL", default="iris-officers@iom-uk.example")
# Per-address limits on the public forms: (requests, seconds).
IRIS_COMPLAINT_LIMIT = (env.int("IRIS_COMPLAINT_LIMIT", default=5), 60 * 60)
IRIS_JOIN_LIMIT = (env.int("IRIS_JOIN_LIMIT", default=5), 60 * 60)
IRIS_TRACK_LIMIT = (env.int("IRIS_TRACK_LIMIT", default=10), 10 * 60)
IRIS_VERIFY_LIMIT = (env.int("IRIS_VERIFY_LIMIT", default=60), 10 * 60)
IRIS_WATCH_LIMIT = (env.int("IRIS_WATCH_LIMIT", default=5), 60 * 60)
# Watch confirmations one mailbox may be sent, across recruiters and clients: (count, seconds).
IRIS_WATCH_CONFIRM_MAILBOX_LIMIT = (
    env.int("IRIS_WATCH_CONFIRM_MAILBOX_LIMIT", default=5),
    60 * 60,
)
# A request to watch a recruiter that is never confirmed is deleted, address and all, after this.
IRIS_WATCH_UNCONFIRMED_DAYS = env.int("IRIS_WATCH_UNCONFIRMED_DAYS", default=7)
IRIS_ROSTER_PAGE_SIZE = 20
# Sites that may frame the verify widget (/iris/widget/verify/); every other page frames nowhere.
IRIS_WIDGET_FRAME_ANCESTORS = env.list("IRIS_WIDGET_FRAME_ANCESTORS", default=["https:", "http:"])
# The roster lists and counts at most this many matches: past it the page says "more than" and
# asks for a narrower search, so a page costs the same however long the roster grows.
IRIS_ROSTER_MOST_LISTED = 1000
# Resolved, closed and withdrawn complaints are anonymised this many days after their last
# stage move: the complainant's details, the account, messages and notes go, evidence files
# are deleted; reference, stage, recruiter and categories stay. Applications to join lose the
# contact's name, email and phone and the free text this many days after they were decided.
IRIS_RETENTION_DAYS = env.int("IRIS_RETENTION_DAYS", default=2 * 365)
# The deadline clocks of a complaint, as the EU Whistleblowing Directive sets them: acknowledged
# within this many days of receipt, and a substantive answer within this many months of it
# (iris/complaints/clocks.py says what counts as each).
IRIS_ACKNOWLEDGE_DAYS = env.int("IRIS_ACKNOWLEDGE_DAYS", default=7)
IRIS_ANSWER_MONTHS = env.int("IRIS_ANSWER_MONTHS", default=3)
# A complainant is emailed "there is news" at most once in this many minutes per complaint,
# however many things changed: a stage move and two messages make one email.
IRIS_NEWS_EMAIL_MINUTES = env.int("IRIS_NEWS_EMAIL_MINUTES", default=15)
# Changes within that window are not lost: one trailing email tells of them when it closes
# (iris/complaints/news.py), at most this beat's period late.
CELERY_BEAT_SCHEDULE["iris-news-trailing"] = {
    "task": "iris.tasks.send_trailing_news",
    "schedule": timedelta(minutes=1),
}
# The daily digest of overdue complaints to IRIS_OFFICERS_EMAIL: tried each working hour (UK
# time), sent by the first try of the day (one a day however often it runs).
CELERY_BEAT_SCHEDULE["iris-overdue-digest"] = {
    "task": "iris.tasks.send_overdue_digest",
    "schedule": crontab(minute=0, hour="7-18"),
}
CELERY_BEAT_SCHEDULE["iris-expire-accreditations"] = {
    "task": "iris.tasks.expire_accreditations",
    "schedule": timedelta(hours=24),
}


# ---------------------------------------------------------------------------
# The open roster API (/api/v1/, iris/recruiters/api.py): read-only, open to any origin for GET
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The API's views name their own key check and throttle (iris/recruiters/api.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "iris.recruiters.api.problem_details",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The licence the roster's data is offered under (the bulk file and the API's schema state it).
ROSTER_LICENCE_NAME = env.str("ROSTER_LICENCE_NAME", default="Open Government Licence v3.0")
ROSTER_LICENCE_URL = env.str(
    "ROSTER_LICENCE_URL",
    default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
SPECTACULAR_SETTINGS = {
    "TITLE": "IRIS roster API",
    "DESCRIPTION": (
        "The public roster of IRIS-accredited recruiters, read-only: what each recruiter's "
        "public page shows, and the verify page's answer for a number. Anyone may call it; a "
        "registered partner's key (ask IOM UK by email) allows more requests. Every answer is "
        "JSON, whatever `Accept` asks (so never a 406), and every error is problem details "
        "(RFC 9457). Answers are gzip-compressed when `Accept-Encoding` asks."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVERS": [{"url": SITE_URL, "description": "The IOM UK portal"}],
    "CONTACT": {"name": "IOM UK", "email": CONTACT_EMAIL},
    # The data's licence is the terms it is offered on.
    "LICENSE": {"name": ROSTER_LICENCE_NAME, "url": ROSTER_LICENCE_URL},
    "TOS": ROSTER_LICENCE_URL,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "iris.recruiters.api_openapi.add_links",
    ],
    # Two fields called `answer`: each enum its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AnswerEnum": "iris.recruiters.api.VERIFY_ANSWERS",
        "ContactAnswerEnum": "iris.recruiters.contact_services.ANSWERS",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files: the pages' CSP allows no other site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# A page on another site revalidates its copy with the validators the API sent (RFC 9110).
CORS_ALLOW_HEADERS = [*default_headers, "accept-language", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    "Link",
]
# Requests per client address, and per partner key: (count, seconds).
API_CLIENT_LIMIT = (env.int("API_CLIENT_LIMIT", default=60), 60)
API_KEY_LIMIT = (env.int("API_KEY_LIMIT", default=600), 60)
# How often a key's last use is written down: not on every request.
API_KEY_USE_NOTED_EVERY = timedelta(hours=1)
# The daily bulk file of the public roster (iris/recruiters/bulk.py) and the licence it states.
CELERY_BEAT_SCHEDULE["iris-export-roster"] = {
    "task": "iris.tasks.export_roster",
    "schedule": timedelta(hours=24),
}
# How many matches of a typed search the API pages through (the roster page lists as many).
API_MOST_MATCHES = IRIS_ROSTER_MOST_LISTED
