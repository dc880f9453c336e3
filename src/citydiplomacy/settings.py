"""Django settings, read from the environment (12-factor).

Variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CITYDIPLOMACY_VAR_DIR, CACHE_URL,
TRUSTED_PROXY, SESSION_IDLE_MINUTES, API_TOKEN_TTL_HOURS and the *_THROTTLE_RATE knobs below.
Without DATABASE_URL the database is SQLite at var/citydiplomacy.sqlite3 (WAL, busy timeout).
Without CACHE_URL the cache is a folder under var/cache shared by every process of the host.
The development SECRET_KEY fallback is refused when DEBUG is off.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CITYDIPLOMACY_VAR_DIR", PROJECT_DIR / "var"))
DATA_DIR = Path(os.environ.get("CITYDIPLOMACY_DATA_DIR", PROJECT_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "dev-insecure-key-only-for-local-development-do-not-deploy"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # first: its `createsuperuser` (password rules also with --noinput) replaces Django's
    "citydiplomacy.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "citydiplomacy.core",
    "citydiplomacy.governments",
    "citydiplomacy.web",
    "citydiplomacy.places",
    "citydiplomacy.policy",
    "citydiplomacy.agreements",
    "citydiplomacy.analytics",
    "citydiplomacy.recommend",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "citydiplomacy.web.middleware.PrivacyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "citydiplomacy.web.upload_limit.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "citydiplomacy.web.middleware.IdleSessionMiddleware",
    "citydiplomacy.core.throttling.BusySessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citydiplomacy.urls"
WSGI_APPLICATION = "citydiplomacy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "citydiplomacy.web.context_processors.membership",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "citydiplomacy.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids
                # deadlock-style "database is locked" on read-then-write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- caches, background tasks ---------------------------------------------
# `results` holds what background tasks compute (network statistics, the world map): a
# database table, shared by the web workers and the task workers (core/stored_results.py;
# the table is created by the web app's migration). Tasks are queued in the database too and
# run by `citydiplomacy db_worker` (started by `citydiplomacy serve`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
# Failures are counted per username and, separately, per client address: spraying one password
# over many accounts from one address locks the address; many addresses guessing one account
# lock the account. The address is the one `core.client_ip` trusts (TRUSTED_PROXY below).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "citydiplomacy.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

# Does the permitting authority (the ministry of Municipal Law 5393 art. 74) decide permission
# requests in this installation? Then only its staff (role "authority") record the decision;
# otherwise a municipality's approver records it from the authority's letter.
AUTHORITY_DECIDES_IN_SYSTEM = env_bool("CITYDIPLOMACY_AUTHORITY_IN_SYSTEM", False)
# The lifecycle's legal profile (agreements.legal_profiles): tr-5393 (Turkey, the default),
# au-fas (Australia's Foreign Arrangements Scheme for councils) or council-only.
LEGAL_PROFILE = os.environ.get("CITYDIPLOMACY_LEGAL_PROFILE", "tr-5393")

# Notifications by email go through Django's email backend: the console in development,
# SMTP in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "citydiplomacy@localhost")

# --- cache ----------------------------------------------------------------
# Throttle counts, the one-heavy-request-per-user slots and computed figures live here, so the
# cache must be shared by every worker process: by default a folder under var/ (no server
# needed; every process on this host sees it). Several hosts behind one balancer need a cache
# server: CACHE_URL=redis://host:6379/0 (needs the `redis` package) or memcached://host:11211
# (needs `pymemcache`). CACHE_URL=locmem:// is per process and only fit for tests.
CACHE_URL = os.environ.get("CACHE_URL", "")


def cache_from_url(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": url.removeprefix("memcached://").rstrip("/")}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("file://"):
        folder = url.removeprefix("file://")
    elif url:
        raise ImproperlyConfigured(f"CACHE_URL {url!r}: use redis://, memcached://, file:// or locmem://")
    else:
        folder = str(VAR_DIR / "cache")
    return {"BACKEND": "citydiplomacy.core.cache.SharedFileCache", "LOCATION": folder,
            "OPTIONS": {"MAX_ENTRIES": 20000}}


CACHES = {
    "default": cache_from_url(CACHE_URL),
    # Results computed by background tasks (core.stored_results): in the database, so that
    # every worker and host reads the same and a restart loses nothing.
    "results": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "citydiplomacy_results",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True

# --- static & media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates VAR_DIR for the SQLite file
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("CITYDIPLOMACY_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that unauthenticated API calls answer 401 with WWW-Authenticate.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "citydiplomacy.core.api_base.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "citydiplomacy.core.api_base.uniform_exception_handler",
    # Per signed-in user and per client address for anonymous calls, counted in the shared
    # cache (CACHES above) so that every worker process sees the same counts; `heavy` is the
    # extra limit of expensive reads (network statistics, recommendations, reports, exports).
    "DEFAULT_THROTTLE_CLASSES": [
        "citydiplomacy.core.throttling.AnonThrottle",
        "citydiplomacy.core.throttling.UserThrottle",
        "citydiplomacy.core.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("TOKEN_THROTTLE_RATE", "20/min"),
        "anon": os.environ.get("ANON_THROTTLE_RATE", "60/min"),
        "user": os.environ.get("USER_THROTTLE_RATE", "600/min"),
        "heavy": os.environ.get("HEAVY_THROTTLE_RATE", "30/min"),
        "heavy_anon": os.environ.get("HEAVY_ANON_THROTTLE_RATE", "10/min"),
    },
    "NUM_PROXIES": None,  # client addresses come from core.client_ip (throttles override get_ident)
}
# API tokens (django-rest-knox): stored as hashes, expire, revocable (DELETE /api/auth/token/).
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=float(os.environ.get("API_TOKEN_TTL_HOURS", "24"))),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": int(os.environ.get("API_TOKEN_LIMIT_PER_USER", "20")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "citydiplomacy API",
    "DESCRIPTION": "Registry of a local government's international relations: partners, "
    "agreements, approvals, policy and analytics.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "citydiplomacy.core.api_contract.contract_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "citydiplomacy.agreements.models.Activity.Kind",
        "DocumentKindEnum": "citydiplomacy.agreements.models.Document.Kind",
        "AgreementEventKindEnum": "citydiplomacy.agreements.models.AgreementEvent.Kind",
        "CooperationAreaEnum": "citydiplomacy.agreements.models.CooperationArea",
        "GovernmentKindEnum": "citydiplomacy.governments.models.GovernmentKind",
        "DirectiveActionEnum": "citydiplomacy.agreements.directive_models.Directive.Action",
    },
}

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# TRUSTED_PROXY = the number of reverse proxies in front of the application that set
# X-Forwarded-For and X-Forwarded-Proto (0, the default: clients talk to gunicorn directly, so
# those headers come from the client and are ignored). With 1, the proxy's X-Forwarded-Proto
# says whether the request was HTTPS, and the client address is the last X-Forwarded-For entry.
TRUSTED_PROXY = int(os.environ.get("TRUSTED_PROXY", "0") or 0)
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sessions end after SESSION_IDLE_MINUTES without a request (web.middleware.IdleSessionMiddleware
# renews the expiry while the user is active).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", str(8 * 60))) * 60
SESSION_RENEW_AFTER_SECONDS = min(300, SESSION_COOKIE_AGE // 4)
# Browser features no page uses are switched off (web.middleware.PrivacyHeadersMiddleware).
PERMISSIONS_POLICY = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), "
                      "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
                      "payment=(), usb=(), interest-cohort=()")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # scripts stay strict; d3/htmx set inline styles
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Trained recommender models (files); a DB row per training run records date, counts, metrics.
CITYDIPLOMACY_MODEL_DIR = Path(os.environ.get("CITYDIPLOMACY_MODEL_DIR", VAR_DIR / "models"))
# fits the recommender averages into one model (recommend.learn.train); unset: learn.BAGS (3,
# chosen on a validation split, docs/RECOMMENDER.md); 1 trains three times faster, ranks a little worse
CITYDIPLOMACY_RECOMMENDER_FITS = (int(os.environ["CITYDIPLOMACY_RECOMMENDER_FITS"])
                                  if os.environ.get("CITYDIPLOMACY_RECOMMENDER_FITS") else None)

# Days a permission request may wait before a reminder; dormancy period (years);
# largest document upload (bytes).
CITYDIPLOMACY_PERMISSION_WAIT_DAYS = int(os.environ.get("CITYDIPLOMACY_PERMISSION_WAIT_DAYS", "90"))
CITYDIPLOMACY_DORMANCY_YEARS = int(os.environ.get("CITYDIPLOMACY_DORMANCY_YEARS", "3"))
CITYDIPLOMACY_MAX_UPLOAD_BYTES = int(os.environ.get("CITYDIPLOMACY_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
CITYDIPLOMACY_DEMO_PASSWORD_ENV = "CITYDIPLOMACY_DEMO_PASSWORD"
# Imports (places.imports, places.tables): rows committed per transaction, so that other
# users' writes wait for one batch at most; and the most rows one imported table may have.
CITYDIPLOMACY_IMPORT_BATCH_ROWS = int(os.environ.get("CITYDIPLOMACY_IMPORT_BATCH_ROWS", "1000"))
CITYDIPLOMACY_IMPORT_MAX_ROWS = int(os.environ.get("CITYDIPLOMACY_IMPORT_MAX_ROWS", "300000"))
# `import-pairs` lowers its own CPU priority by this much (os.nice) so that web requests keep the cores.
CITYDIPLOMACY_IMPORT_NICE = int(os.environ.get("CITYDIPLOMACY_IMPORT_NICE", "10"))

# The publisher named in the open-data catalogue (DCAT-AP dct:publisher of /public/datasets.json):
# whoever runs this site. Blank: "Operator of <host>".
OPEN_DATA_PUBLISHER = os.environ.get("CITYDIPLOMACY_OPEN_DATA_PUBLISHER", "")
