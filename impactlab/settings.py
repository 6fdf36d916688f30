"""Settings for impactlab, read from the environment.

Development needs nothing: SQLite in ``data/`` and mail on the console. Production sets
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL`` (see ``.env.example``).
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url: str, *, data_dir: Path) -> dict:
    """Return a DATABASES entry for a ``sqlite:///path`` or ``postgres://`` URL."""
    if not url:
        return sqlite_database(data_dir / "impactlab.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:////abs/path keeps its leading slash; sqlite:///rel/path is relative.
        return sqlite_database(Path(path[1:]))
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")
    from psycopg_pool import ConnectionPool

    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    # The pool checks a connection before handing it out, so that one dropped by a database
    # restart or failover is replaced instead of failing the next request.
    options: dict = {
        "pool": {
            "min_size": 1,
            "max_size": int(query.pop("pool_max", "8")),
            "check": ConnectionPool.check_connection,
        }
    }
    options.update(query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "TEST": {"NAME": f"test_{unquote(parts.path.lstrip('/'))}"},
    }


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Keep the connection between requests (gunicorn's workers reuse it): a new one
        # starts with an empty page cache and reads the schema again, which made a worksheet
        # page take half as long again through gunicorn.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # WAL lets readers work while one writer saves; IMMEDIATE avoids lock upgrades.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


TESTING = "pytest" in sys.modules or env("DJANGO_TESTING") == "1"
DEBUG = env_bool("DJANGO_DEBUG", False)
DATA_DIR = Path(env("IMPACTLAB_DATA_DIR", str(BASE_DIR / "data")))
# collectstatic fills staticfiles/; WhiteNoise warns at start-up when the folder is missing.
(DATA_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a long random secret; "
            "set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-for-impactlab-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The address in links that mails carry. Unset, a link follows the address the request came
# in on (any port in development); production sets it, and so does a background worker that
# mails without a request.
SITE_URL = env("IMPACTLAB_SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "impactlab.apps.ImpactlabAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks_db",
    "impactlab",
    "organisations",
    "trainings",
    "impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "impactlab.middleware.CoordinatorTwoFactorMiddleware",
]

ROOT_URLCONF = "impactlab.urls"
WSGI_APPLICATION = "impactlab.wsgi.application"
ASGI_APPLICATION = "impactlab.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL"), data_dir=DATA_DIR)}

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # PBKDF2 costs half a second per user; tests create many.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email and password, no usernames, no open sign-up.
ACCOUNT_ADAPTER = "organisations.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[impactlab] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "impactlab"
# Coordinators must set up two-factor authentication before anything else
# (impactlab/middleware.py). On in production; off in development and in the test suite, so
# the demo's coordinator can be tried without an authenticator app (its tests turn it on).
IMPACTLAB_COORDINATOR_MFA = env_bool("IMPACTLAB_COORDINATOR_MFA", not (DEBUG or TESTING))

# Rate limits count in the cache; production uses the database cache so that every
# gunicorn worker (and every server) shares one count.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if DEBUG or TESTING
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "impactlab_cache",
        }
    ),
    # Rendered parts of the step pages (when IMPACTLAB_PAGE_CACHE is on), in each process's
    # memory: their keys carry the worksheet's content version, read in the same query as the
    # worksheet, so no process serves what another one has changed
    # (impact/worksheet/presenters.py). About 60 KB an entry at most, some 30 MB a process.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "impactlab-fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# Serve the worksheet step pages from the fragments cache. Off in the test suite, whose query
# counts pin the pages as they render; the tests of the cache turn it on.
IMPACTLAB_PAGE_CACHE = env_bool("IMPACTLAB_PAGE_CACHE", not TESTING)

# Mail: Django 6.1 mailers. The console in development; SMTP in production (the local
# mail relay unless EMAIL_HOST names another).
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "impactlab <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST") or not (DEBUG or TESTING):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", "localhost"),
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Tasks: reports render in the background in production (``manage.py db_worker``).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Short dates per language ("29 okt. 2026", "29 Oct 2026") for date:"SHORT_DATE_FORMAT".
FORMAT_MODULE_PATH = ["impactlab.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: a strict Content Security Policy everywhere; HTTPS-only cookies in production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# impactlab's own knobs.
IMPACTLAB_INVITATION_DAYS = int(env("IMPACTLAB_INVITATION_DAYS", "14"))
IMPACTLAB_EXPORT_RETENTION_DAYS = int(env("IMPACTLAB_EXPORT_RETENTION_DAYS", "7"))
# Questionnaire answers are erased this many days after a response was started (two years;
# 0 keeps them as long as the worksheet): `manage.py erase_old_answers`, daily from cron or
# the worker (--schedule). Per question and moment the counts stay, so summaries and charts
# remain; the open answers' texts go.
IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS = int(env("IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS", "730"))
# Report rendering (impact/reports/isolation.py, limits.py): a render runs in a child
# process stopped after this many seconds or this much memory; this many at once per server.
IMPACTLAB_PDF_TIMEOUT = int(env("IMPACTLAB_PDF_TIMEOUT", "120"))
IMPACTLAB_PDF_MEMORY_MB = int(env("IMPACTLAB_PDF_MEMORY_MB", "600"))
# Renders in the web process run at this CPU niceness, so that pages stay quick meanwhile.
IMPACTLAB_PDF_NICENESS = int(env("IMPACTLAB_PDF_NICENESS", "10"))
IMPACTLAB_RENDERS_PER_SERVER = int(env("IMPACTLAB_RENDERS_PER_SERVER", "2"))
# Report and export downloads per person: "count/seconds".
IMPACTLAB_REPORT_RATE = env("IMPACTLAB_REPORT_RATE", "30/300")
# Logo uploads (organisations/logos.py).
IMPACTLAB_LOGO_MAX_BYTES = int(env("IMPACTLAB_LOGO_MAX_BYTES", str(2 * 1024 * 1024)))
IMPACTLAB_LOGO_MAX_PIXELS = int(env("IMPACTLAB_LOGO_MAX_PIXELS", "12000000"))
# Mail between the dagdelen: trainers hear of steps waiting longer than this for review;
# the worker looks for due mail this often.
IMPACTLAB_REVIEW_REMINDER_DAYS = int(env("IMPACTLAB_REVIEW_REMINDER_DAYS", "3"))
IMPACTLAB_MAIL_INTERVAL_MINUTES = int(env("IMPACTLAB_MAIL_INTERVAL_MINUTES", "10"))
