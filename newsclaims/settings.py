"""
newsclaims settings: one module, configured by environment variables.

DEBUG off means production: there is no default SECRET_KEY then, and the app refuses
to start without one. README.md lists every variable.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name, default)
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=0):
    value = os.environ.get(name, default)
    if not re.fullmatch(r"[0-9]+", value) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number from {minimum}, not {value!r}")
    return int(value)


def env_milliseconds(name, default):
    """A duration in PostgreSQL's units ("500ms", "5s", "2min") in milliseconds; "0": None."""
    value = os.environ.get(name, default)
    if value == "0":
        return None
    if not (match := re.fullmatch(r"([1-9][0-9]*)(ms|s|min)", value)):
        raise ImproperlyConfigured(
            f"{name} must be a duration such as '500ms', '5s' or '2min' (or 0), not {value!r}"
        )
    return int(match[1]) * {"ms": 1, "s": 1000, "min": 60_000}[match[2]]


def env_secret(name):
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd style)."""
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error}") from None
    return os.environ.get(name, "")


DEBUG = env_bool("DEBUG", "false")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is false: "
            "production never runs on a default key. For local development set DEBUG=true."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-true"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",
    "simple_history",
    "articles",
    # GDELT events waiting for review (intake/): can be left out without touching the rest.
    "intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses oversized requests before anything reads them (after the two above, so
    # that its refusals carry the security headers too).
    "newsclaims.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the address (/sr/, /sr-latn/, English without a prefix), or of the
    # cookie for the admin. After sessions, before common (Django's order).
    "newsclaims.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # TRACE, OPTIONS, PUT… answer 405 in the admin (public views: require_safe).
    "newsclaims.middleware.AdminMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Public requests run under STATEMENT_TIMEOUT, the admin under the server's setting.
    "articles.middleware.StatementTimeoutMiddleware",
    # A database that cannot answer, or a statement past its limit: 503, not 500.
    "articles.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses logins while a username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsclaims.urls"

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
                "articles.context_processors.canonical_url",
                "articles.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsclaims.wsgi.application"

# Without DATABASE_URL the demo runs on SQLite in a git-ignored file; production and the
# test suite use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Bounded work (PostgreSQL): the longest any statement of a public request may run, and of
# a download's (every row its filters select); 0 leaves it to the server's setting. The
# admin and management commands run under the server's setting.
STATEMENT_TIMEOUT = env_milliseconds("STATEMENT_TIMEOUT", "5s")
EXPORT_STATEMENT_TIMEOUT = env_milliseconds("EXPORT_STATEMENT_TIMEOUT", "5min")
# Downloads one worker process streams at once; one more answers 503 with Retry-After.
EXPORTS_PER_WORKER = env_int("EXPORTS_PER_WORKER", "1", minimum=1)

# Rendered public pages; see articles/caching.py for why they are never stale. Without
# REDIS_URL, in each worker process (PAGE_CACHE_ENTRIES pages of about 10–100 kB);
# with it, in one Redis shared by every worker of every app server
# (redis://host:6379/0, or unix:///run/redis/redis.sock), so a page is rendered once
# per change rather than once per worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
if not env_bool("PAGE_CACHE", "true"):
    # Off: every request is rendered (to measure pages as they are just after an edit).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", "1000", minimum=1)},
        }
    }

# The read index (articles/engine.py) is built from the database by each worker process.
# With READ_INDEX_PATH, the first worker of a server to build it saves it there and the
# others (and restarted workers) load it, then apply the change log; `manage.py
# rebuild_index` builds a new one there.
READ_INDEX_PATH = os.environ.get("READ_INDEX_PATH", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the root (/claims/), Serbian in Cyrillic under /sr/ and in Latin under
# /sr-latn/ (newsclaims/urls.py); the admin follows the language cookie.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsclaims.formats"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production sits behind a TLS-terminating proxy. With DEBUG on (local development and
# tests) nothing insists on HTTPS, but the headers are the same. A proxy that redirects
# plain HTTP to HTTPS itself makes the app's redirect redundant: only when the operator
# says so is the deployment check's warning about it (security.W008) silenced.
PROXY_REDIRECTS_TO_HTTPS = env_bool("PROXY_REDIRECTS_TO_HTTPS", "false")
SECURE_SSL_REDIRECT = env_bool(
    "SECURE_SSL_REDIRECT", "false" if DEBUG or PROXY_REDIRECTS_TO_HTTPS else "true"
)
SILENCED_SYSTEM_CHECKS = (
    ["security.W008"] if PROXY_REDIRECTS_TO_HTTPS and not SECURE_SSL_REDIRECT else []
)
if trusted := os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (trusted, "https")
SECURE_HSTS_SECONDS = 31536000  # sent on HTTPS responses only, as browsers require
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere, the admin included; JSON-LD blocks are data.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # __Host- cookies are only accepted over HTTPS, for this host, with Path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Oversized input is refused cheaply: at most 200 fields in a query string or form,
# 2.5 MB of form data, and REQUEST_MAX_BYTES of body in all.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", 5 * 1024 * 1024))

# Login throttling (django-axes): after 5 failed admin logins for one username from one
# address, that pair is refused for 30 minutes, correct password or not.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind PROXY_COUNT reverse proxies, the client's address comes from X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "newsclaims.client_ip.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False
# Reverting to an old version would bypass the Editors/Publishers rules on status.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Structured (logfmt) lines on standard output; see newsclaims/logging.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"logfmt": {"()": "newsclaims.logging.LogfmtFormatter"}},
    "filters": {"as_warning": {"()": "newsclaims.logging.AsWarning"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "logfmt",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs every successful login at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # A Host header that ALLOWED_HOSTS refuses answers 400: a warning, not an error.
        "django.security.DisallowedHost": {"filters": ["as_warning"]},
    },
}

# Where the demo loader reads its seed articles from.
DEMO_DATA_DIR = BASE_DIR / "articles" / "demo"
