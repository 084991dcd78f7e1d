"""Django settings for Jiuye, read from environment variables.

JIUYE_DATABASE_URL   database URL (default: SQLite file in JIUYE_DATA_DIR)
JIUYE_DATA_DIR       where the embedded database and generated files live (default: <checkout>/data)
JIUYE_SECRET_KEY     secret key (default: a per-installation key stored in JIUYE_DATA_DIR)
JIUYE_DEBUG          "1" for debug mode
JIUYE_ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
JIUYE_HTTPS          "1" when served over HTTPS: Secure cookies, redirect to HTTPS, HSTS
JIUYE_PROXY_SSL_HEADER  "1" behind a proxy (nginx) that sets X-Forwarded-Proto: https
JIUYE_HSTS_SECONDS   HSTS max-age with JIUYE_HTTPS (default: one year)
JIUYE_MAX_UPLOAD_MB  largest file accepted for an import (default: 50)
JIUYE_TEST_DATABASE_URL  database used by the test suite (default: in-memory SQLite)
JIUYE_TASKS_IMMEDIATE  "1" to run background tasks (imports) in the request, with no worker
JIUYE_IMPORT_STALE_SECONDS  a running import with no progress for this long is marked failed (default 3600)
JIUYE_BANK_RETURN_LAYOUT  a JSON or YAML file describing the bank's return file (default: the CSV layout
                     of docs/policies/payments.md)
JIUYE_KPI_FRESH_SECONDS  how long a kept KPI value of a period not yet over is shown before it is recomputed
                     (default 600; docs/targets/dashboard.md)
JIUYE_KPI_MAX_AGE_SECONDS  the same for a closed period, a safety net beside the registry's events (default 86400)
JIUYE_SCREEN_REFRESH_SECONDS  how often the big screen (大屏) refreshes its figures (default 60)
"""
from __future__ import annotations

import datetime
import os
import secrets
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("JIUYE_DATA_DIR") or (CHECKOUT_DIR / "data")).resolve()
TESTING = "pytest" in sys.modules or os.environ.get("JIUYE_TESTING") == "1"


def _secret_key() -> str:
    if os.environ.get("JIUYE_SECRET_KEY"):
        return os.environ["JIUYE_SECRET_KEY"]
    if TESTING:
        return "jiuye-test-secret-key-not-for-production"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("JIUYE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIUYE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("JIUYE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # Swagger UI from the package's own static files (no CDN) at /api/v1/docs
    "jiuye.regions",
    "jiuye.parameters",
    "jiuye.accounts",
    "jiuye.imports",
    "jiuye.registry",
    "jiuye.assistance",
    "jiuye.policies",
    "jiuye.jobs",
    "jiuye.monitoring",
    "jiuye.targets",
    "jiuye.reports",
    "jiuye.web",
    "axes",
    "jiuye.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jiuye.middleware.UploadSizeLimitMiddleware",
    "jiuye.middleware.NoStoreMiddleware",
    "jiuye.accounts.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiuye.urls"
WSGI_APPLICATION = "jiuye.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],  # overrides of other apps' templates (admin/base_site.html)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiuye.web.context.navigation",
            ],
        },
    },
]


def _database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0 if TESTING else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update(
            {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;",
            }
        )
    return config


if TESTING:
    _db_url = os.environ.get("JIUYE_TEST_DATABASE_URL") or "sqlite://:memory:"
else:
    _db_url = os.environ.get("JIUYE_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jiuye.sqlite3'}"
DATABASES = {"default": _database_config(_db_url)}
if TESTING and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # One test database per test process, so parallel runs on one server do not drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_jiuye_{os.getpid()}"}
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In-memory test databases cannot use WAL.
    DATABASES["default"]["OPTIONS"].pop("init_command", None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling (django-axes, jiuye/accounts/throttling.py): an account, and separately a client
# address, is locked after JIUYE_LOGIN_FAILURE_LIMIT failed logins for JIUYE_LOGIN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = ["jiuye.accounts.throttling.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("JIUYE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("JIUYE_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log
AXES_VERBOSE = False  # no usernames or addresses in the server log
AXES_ENABLE_ADMIN = False  # unlocking goes through the audited user administration (web: 用户管理)
AXES_CLIENT_IP_CALLABLE = "jiuye.accounts.throttling.client_address"
# Reverse proxies (e.g. nginx: 127.0.0.1) whose X-Forwarded-For names the client, for throttling and audit.
JIUYE_TRUSTED_PROXIES = [a.strip() for a in os.environ.get("JIUYE_TRUSTED_PROXIES", "").split(",") if a.strip()]

# The password policy (staff accounts; enforced by `jiuye create_user`, the workbench and the admin):
# at least 10 characters, not a common password, not like the username or name, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jiuye.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["username", "display_name", "email"]}},
    {"NAME": "jiuye.accounts.passwords.ContainsUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "zh-hans"
# Simplified Chinese whatever the browser asks for: no LocaleMiddleware (no Accept-Language
# negotiation), one language. Django's own messages ("This field is required.", login errors) follow.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("JIUYE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
try:  # WhiteNoise serves from the finders; an empty STATIC_ROOT only silences its warning.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Uploads: a file above FILE_UPLOAD_MAX_MEMORY_SIZE streams to a temporary file; a request body other
# than files (JSON, form fields) may hold DATA_UPLOAD_MAX_MEMORY_SIZE. An import file may be at most
# JIUYE_MAX_UPLOAD_SIZE (jiuye/middleware.py refuses larger bodies with 413 before reading them; the
# web form and the API say so in Chinese).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
JIUYE_MAX_UPLOAD_SIZE = int(float(os.environ.get("JIUYE_MAX_UPLOAD_MB", "50")) * 1024 * 1024)

# Security. Cookies are HttpOnly always and Secure over HTTPS (JIUYE_HTTPS=1, which also redirects
# HTTP to HTTPS and sends HSTS); behind a proxy that terminates TLS, JIUYE_PROXY_SSL_HEADER=1 trusts its
# X-Forwarded-Proto header (only if the proxy sets it on every request). `jiuye check --deploy` passes
# with JIUYE_DEBUG=0 JIUYE_HTTPS=1 (tests/test_deploy_settings.py). Every dynamic response carries
# Cache-Control: no-store (jiuye/middleware.py).
HTTPS = _env_bool("JIUYE_HTTPS")
if _env_bool("JIUYE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("JIUYE_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False  # the preload list is for public sites; an intranet host has no use for it
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload: see SECURE_HSTS_PRELOAD
# Content-Security-Policy (django-csp): the app serves all its scripts, styles and images itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Background tasks (django-tasks with its database backend, django-tasks-db): long imports run in the
# worker, `jiuye worker`, which reads the queue from the application's own database (SQLite or
# PostgreSQL: no other server). The test suite runs tasks at once, in the caller
# (JIUYE_TASKS_IMMEDIATE=1 does the same outside tests, with no worker).
if TESTING or _env_bool("JIUYE_TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "imports"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}}
# A batch "running" with no sign of life (progress, heartbeat) for this long is marked failed by the worker.
JIUYE_IMPORT_STALE_SECONDS = int(os.environ.get("JIUYE_IMPORT_STALE_SECONDS", "3600"))

# The deployment's own dated parameter files (per jurisdiction, docs/parameters.md), read on top of
# the shipped ones in jiuye/parameters/data/. Empty: the shipped files only.
JIUYE_PARAMETERS_DIR = os.environ.get("JIUYE_PARAMETERS_DIR", "")

# Kept KPI values (targets/kpis/cache.py) and the big screen's refresh (docs/targets/dashboard.md).
JIUYE_KPI_FRESH_SECONDS = int(os.environ.get("JIUYE_KPI_FRESH_SECONDS", "600"))
JIUYE_KPI_MAX_AGE_SECONDS = int(os.environ.get("JIUYE_KPI_MAX_AGE_SECONDS", "86400"))
JIUYE_SCREEN_REFRESH_SECONDS = int(os.environ.get("JIUYE_SCREEN_REFRESH_SECONDS", "60"))

# The layout of the bank's return file for subsidy payments (docs/policies/payments.md). Empty: the default CSV.
JIUYE_BANK_RETURN_LAYOUT = os.environ.get("JIUYE_BANK_RETURN_LAYOUT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_query_strings": {"()": "jiuye.logfilters.RedactQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_query_strings"]},
        "server": {"class": "logging.StreamHandler", "filters": ["redact_query_strings"]},
    },
    "loggers": {
        # The development server's access log: keep it, without query strings (search terms).
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JIUYE_LOG_LEVEL", "WARNING")},
}
