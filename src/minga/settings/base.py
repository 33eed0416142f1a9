"""Settings shared by every deployment.

Nothing is read at import time beyond the environment. Every variable is documented
in the README's configuration table.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django.conf.locale
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("MINGA_DATA_DIR", "var")).resolve()
DEBUG = env_bool("MINGA_DEBUG", default=False)

# A missing key is an error outside debug; the insecure default only serves `make run` locally,
# where the Makefile generates and keeps a random key under the data directory instead.
SECRET_KEY = os.environ.get("MINGA_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("MINGA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("MINGA_CSRF_TRUSTED_ORIGINS", "")
# Shows a banner on every page saying the data is invented (set by `make run`).
MINGA_DEMO = env_bool("MINGA_DEMO", default=False)
SITE_URL = os.environ.get("MINGA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_countries",
    "django.forms",  # its widget templates, for the TemplatesSetting renderer below
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "minga.common",
    "minga.people",
    "minga.registry",
    "minga.market",
    "minga.exchange",
    "minga.assemblies",
    "minga.library",
    "minga.seeds",
    "minga.federation",
    "minga.comms",
    "minga.funds",
    "minga.education",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "minga.people.middleware.UserTimezoneMiddleware",
    "minga.people.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads a parameter (its error page needs the reader and the messages).
    "minga.common.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minga.urls"
WSGI_APPLICATION = "minga.wsgi.application"

# Forms render through the site's templates, so that templates/django/forms/ can adjust them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minga.common.context_processors.site",
            ],
        },
    },
]

DATA_DIR_DB = DATA_DIR / "minga.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR_DB}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the single writer commits; IMMEDIATE makes every write
    # transaction take the write lock up front so concurrent writers queue instead of failing.
    # Connections are kept between requests: opening one reads the whole schema and runs the
    # PRAGMAs, about 3 ms of CPU, which was a fifth of a typical page.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["ENGINE"] = "minga.common.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "writers_take_turns": os.environ.get("MINGA_SQLITE_WRITE_TURNS", "1") == "1",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
# Visibility rules in `common` refer to organizations without importing the registry.
MINGA_ORGANIZATION_MODEL = "registry.Organization"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "minga.common.permissions.RulesBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login rate limiting: five failures lock the username+address pair for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"

# Django knows no Haitian Creole; describe it so the language switcher can name it.
django.conf.locale.LANG_INFO.setdefault(
    "ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"}
)

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
]
# Minga's own catalogue first, then the names and Django strings taken from maintained
# sources (src/minga/locale_upstream/build.py).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_upstream"]
FORMAT_MODULE_PATH = ["minga.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "minga_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SEARCH_INDEX_DIR = DATA_DIR / "search"
# The master keys of the solidarity funds' legal cases (never in the database, never in
# the data directory): a key file of `id:key` lines, the current key first, or the same
# lines in the environment. The server refuses to start without one (funds.E001).
CASES_KEY_FILE = os.environ.get("MINGA_CASES_KEY_FILE", "")
CASES_KEYS = os.environ.get("MINGA_CASES_KEYS", "")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "MINGA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("MINGA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MINGA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MINGA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MINGA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MINGA_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("MINGA_EMAIL_FROM", "minga@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything is served from this server: no CDN, no external font, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Roles whose holders must use two-factor authentication.
MINGA_TWO_FACTOR_REQUIRED_ROLES = ("coordinator", "administrator")

# Error reports show nothing of requests an app marks private (common.error_reports).
DEFAULT_EXCEPTION_REPORTER_FILTER = "minga.common.error_reports.ReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MINGA_LOG_LEVEL", "WARNING")},
}

# Machine translation pre-fills translation drafts only when the operator runs their own
# LibreTranslate server; with none, translating is entirely human.
LIBRETRANSLATE_URL = os.environ.get("MINGA_LIBRETRANSLATE_URL", "").rstrip("/")
LIBRETRANSLATE_API_KEY = os.environ.get("MINGA_LIBRETRANSLATE_API_KEY", "")

# Federation (ActivityPub). Test hosts (``host:port``) may be fetched over plain http and on
# loopback or private networks; no other address on such networks is ever fetched.
FEDERATION_TEST_HOSTS = env_list("MINGA_FEDERATION_TEST_HOSTS", "")
FEDERATION_MAX_PAYLOAD_BYTES = int(os.environ.get("MINGA_FEDERATION_MAX_PAYLOAD_BYTES", 512 * 1024))
FEDERATION_INBOX_RATE_PER_MINUTE = int(os.environ.get("MINGA_FEDERATION_INBOX_RATE", 600))
# Seconds before the first retry of a failed delivery (doubling each time, at most 6 hours);
# unset: one minute.
if os.environ.get("MINGA_FEDERATION_RETRY_BASE_SECONDS"):
    FEDERATION_RETRY_BASE_SECONDS = float(os.environ["MINGA_FEDERATION_RETRY_BASE_SECONDS"])
# Objects the worker advances at once (deliveries wait on the network).
STATOR_THREADS = int(os.environ.get("MINGA_STATOR_THREADS", 4))

# The map of actions: with a tile server of the operator's own (``{z}/{x}/{y}`` in the URL),
# its tiles are drawn under the markers; without one, the public-domain outlines shipped here.
MAP_TILE_URL = os.environ.get("MINGA_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MINGA_MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
