"""Settings for Hub JIPP, read from the environment.

Development works with no environment at all (SQLite, debug on). With
DJANGO_DEBUG=0 the site refuses to start without SECRET_KEY and ALLOWED_HOSTS.
Every variable is listed in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import SettingsError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingsError("SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"  # noqa: S105 (debug only)  # nosec B105 # debug-only key; production refuses to start without SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if not DEBUG else ["127.0.0.1", "localhost", "[::1]"])
if not DEBUG and not ALLOWED_HOSTS:
    raise SettingsError("ALLOWED_HOSTS must be set when DJANGO_DEBUG=0 (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

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
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Ours, in dependency order (DESIGN.md): later apps may import earlier ones only.
    "jipp.core",
    "jipp.notifications",
    "jipp.regions",
    "jipp.accounts",
    "jipp.registry",
    "jipp.competition",
    "jipp.competition.evaluation",
    "jipp.replication",
    "jipp.institutionalisation",
    "jipp.hubs",
    "jipp.dashboards",
    "jipp.api",
]

MIDDLEWARE = [
    # Outermost: once the response is made, the public pages' generation counts this request's writes
    # made outside a transaction (jipp.core.public_cache), before the client can ask again.
    "jipp.core.public_cache.FlushMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jipp.core.middleware.UserTimezoneMiddleware",
    "jipp.accounts.middleware.ForcePasswordChangeMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "jipp.core.context_processors.site",
                "jipp.notifications.context_processors.unread",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite by default (WAL, busy timeout); PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise SettingsError(f"DATABASE_URL is not a valid database address ({exc})") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept open between requests, as for PostgreSQL: opening one (the PRAGMAs below, reading
            # the schema) cost about 4.5 ms of CPU per request, a third of a catalogue page's.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:my_home"
LOGOUT_REDIRECT_URL = "core:home"

# Lock an account for a while after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Lock the account, not the address: a whole government office often shares one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Internationalisation: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LOCALE_PATHS = [BASE_DIR / "jipp" / "core" / "locale"]
# One format for dates, times and numbers (jipp/core/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["jipp.core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # A manifest storage in both cases, so `collectstatic` run with debug on (as `make run` does) also
        # writes the manifest that production pages need; compression only when debug is off.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# S3-compatible storage for attachments, switched on by settings.
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "access_key": env_str("S3_ACCESS_KEY"),
            "secret_key": env_str("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console in development, SMTP by settings.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hub JIPP <noreply@jipp.example.go.id>")

# Background work: django-tasks with its database backend; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "jipp.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "jipp.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hub JIPP API",
    "DESCRIPTION": "Public-service innovation network (JIPP): registry, KIPP competition, replication, hubs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set shared by several serializers (status fields differ per model).
    "ENUM_NAME_OVERRIDES": {
        "AgencyTypeEnum": "jipp.regions.models.Agency.Type",
        "ContinuityEnum": "jipp.registry.models.Innovation.Continuity",
        "HubKindEnum": "jipp.hubs.models.HubKind",
        "HubActivityKindEnum": "jipp.hubs.models.Activity.Kind",
        "InnovationStatusEnum": "jipp.registry.models.Innovation.Status",
        "ProposalStatusEnum": "jipp.competition.models.Proposal.Status",
        "ReplicationStatusEnum": "jipp.replication.models.Replication.Status",
    },
}

# Audit every model, later apps' models too (append-only log, django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_db",
    "authtoken",
    "contenttypes",
    # Derived figures, rebuilt from the audited records (jipp/dashboards): no history of their own.
    "dashboards.agencyfigures",
    "dashboards.areafigures",
    "dashboards.refresh",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login")

# Security when not in debug: `manage.py check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    if len(SECRET_KEY) < 50:
        raise SettingsError("SECRET_KEY must be at least 50 characters long when DJANGO_DEBUG=0")
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------
# Security (kept together; owned by the security work, issue #14)
# ---------------------------------------------------------------------------------------
# Text kept after a session expired is the user's draft, not an event: the audit log keeps no copy.
AUDITLOG_EXCLUDE_TRACKING_MODELS = (*AUDITLOG_EXCLUDE_TRACKING_MODELS, "competition.unsaveddraft")
# The stored desk ranking and its version: derived from the audited reviews, rewritten after each one.
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    *AUDITLOG_EXCLUDE_TRACKING_MODELS,
    "evaluation.deskscore",
    "evaluation.deskrankingstate",
)

_security_middleware = [
    "jipp.core.requestlog.RequestLogMiddleware",  # outermost of ours: logs the final status
    "jipp.core.security.SecurityHeadersMiddleware",
    "jipp.core.reliability.ReliabilityMiddleware",
    "jipp.core.ratelimit.RateLimitMiddleware",
]
_at = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_at:_at] = _security_middleware
# Idle timeout needs the user: right after authentication.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jipp.core.security.SessionTimeoutMiddleware",
)

# Content-Security-Policy (jipp/core/security.py): scripts and styles from this site only, no inline, no eval.
CSP_POLICY = {
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
}
# Swagger UI injects <style> elements at run time; its script-src stays strict like every page's.
CSP_EXEMPT_STYLE_PREFIXES = ("/api/docs/",)
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}

# Sessions for a government system: 8 hours at most (a working day), 30 minutes idle, gone when the
# browser closes; cookies not readable by scripts. Both tunable by the environment.
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 8) * 3600
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Sensitive actions (accounts, results, API tokens) need the password typed within this (jipp/core/reauth.py).
REAUTH_MAX_AGE = env_int("REAUTH_MINUTES", 10) * 60
# Data retention, enforced nightly by `manage.py enforce_retention` (jipp/core/retention.py): days kept.
DATA_RETENTION = {
    "unsaved_drafts": {"model": "competition.UnsavedDraft", "field": "updated_at",
                       "days": env_int("RETAIN_UNSAVED_DRAFTS_DAYS", 30)},
    "read_notifications": {"model": "notifications.Notification", "field": "created_at",
                           "days": env_int("RETAIN_READ_NOTIFICATIONS_DAYS", 180),
                           "filter": {"read_at__isnull": False}},
    "notifications": {"model": "notifications.Notification", "field": "created_at",
                      "days": env_int("RETAIN_NOTIFICATIONS_DAYS", 730)},
    "import_files": {"model": "registry.ImportBatch", "field": "created_at", "file_field": "file",
                     "days": env_int("RETAIN_IMPORT_FILES_DAYS", 90),
                     "filter": {"state__in": ["refused", "imported", "published", "failed"]}},
}  # fmt: skip
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# The client's address: how many proxies of ours sit in front (each appends to X-Forwarded-For).
# 0 = the site is reached directly and REMOTE_ADDR is the client. Used by rate limits and lockouts.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Login lockout (django-axes): keyed on the username AND the address, so nobody can lock someone
# else's account from elsewhere (a whole office behind one NAT address is not locked out either);
# password spraying from one address is capped by the "login" rate limit below.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
# axes.W006 warned about address-only lockout; the lockout is per username and address now.
SILENCED_SYSTEM_CHECKS = [c for c in SILENCED_SYSTEM_CHECKS if c != "axes.W006"]

# Rate limits per client address (jipp/core/ratelimit.py), counted in the shared cache.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = [
    # Password spraying: every login attempt from one address, whatever the username.
    {"name": "login", "methods": ["POST"], "path": "/accounts/login/", "limit": env_int("RATE_LOGIN", 30),
     "window": 900},
    {"name": "password-reset", "methods": ["POST"], "path": "/accounts/password/reset/", "limit": 5, "window": 3600},
    # The public objection form (anonymous by design).
    {"name": "objection", "methods": ["POST"], "regex": r"^/kipp/evaluation/\d+/finalists/$", "limit": 10,
     "window": 3600},
    {"name": "api-token", "path": "/api/", "authorization": "token", "limit": env_int("RATE_API_TOKEN", 1200),
     "window": 60},
    {"name": "api-anonymous", "path": "/api/", "authorization": "none", "limit": env_int("RATE_API_ANONYMOUS", 300),
     "window": 60},
]  # fmt: skip

LOGGING["formatters"] = {"plain": {"format": "%(levelname)s %(name)s %(message)s"}}
LOGGING["loggers"] = {
    # One JSON line per request (jipp/core/requestlog.py): route, status, role, request id; no personal data.
    "jipp.request": {"handlers": ["console"], "level": env_str("REQUEST_LOG_LEVEL", "INFO"), "propagate": False},
}

# The API schema documents every error answer (400/401/403/404/429) of every operation.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "jipp.api.schema.document_error_responses",
]
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "jipp.api.schema.AutoSchema"
# API tokens are personal, made and revoked on /accounts/tokens/, stored as digests (jipp/accounts/tokens.py).
# Token first: a bad or revoked token is answered 401 with WWW-Authenticate, not 403.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "jipp.accounts.tokens.HashedTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]

# --- Production: shared cache, proxies, read replica (docs/production.md) -------------------------
# One cache shared by every app server and worker: the database by default (`createcachetable`
# makes its table; `make run` and `make serve` do it), Redis or Valkey with CACHE_URL=redis://...
# (needs the `redis` package), a per-process memory cache only with CACHE_URL=locmem://.
CACHE_URL = env_str("CACHE_URL", "db://jipp_cache")
CACHE_MAX_ENTRIES = env_int("CACHE_MAX_ENTRIES", 20_000)


def _cache_from_url(url: str) -> dict:
    scheme, _, rest = url.partition("://")
    if scheme in {"redis", "rediss", "valkey", "valkeys"}:
        location = ("rediss" if scheme.endswith("s") else "redis") + "://" + rest
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location, "KEY_PREFIX": "jipp"}
    # The database and memory caches delete a third of their entries once they hold MAX_ENTRIES (Django's
    # default, 300, is less than the public pages of one busy minute: the shared generation itself would
    # be culled, making every kept page stale at once). Redis and Valkey evict by their own policy.
    options = {"MAX_ENTRIES": CACHE_MAX_ENTRIES}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "jipp_cache",
                "OPTIONS": options}  # fmt: skip
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "jipp",
                "OPTIONS": options}  # fmt: skip
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise SettingsError(f"CACHE_URL must start with db://, redis://, rediss://, valkey:// or locmem:// (got {url!r})")


CACHES = {"default": _cache_from_url(CACHE_URL)}
# Public results (the catalogue's page and API list for anonymous visitors) kept rendered in that
# cache under their data's version; the expiry only bounds details the version does not cover
# (jipp.core.public_cache). 0 turns it off.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)

# Proxies: how many proxies we run in front of the app servers. The client's address is then the
# TRUSTED_PROXY_COUNT-th entry from the right of X-Forwarded-For (jipp.core.net.client_ip); with 0,
# REMOTE_ADDR (TRUSTED_PROXY_COUNT is set in the security block above). The proxy terminates TLS and
# sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER above).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# Read replica: public catalogue, dashboards and open-data API reads go to DATABASE_REPLICA_URL,
# every write and a user's reads right after a write to the primary (jipp.core.db_router).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError as exc:
        raise SettingsError(f"DATABASE_REPLICA_URL is not a valid database address ({exc})") from None
    DATABASE_ROUTERS = ["jipp.core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "jipp.core.db_router.ReplicaMiddleware")  # fmt: skip
REPLICA_PATH_PREFIXES = env_list("REPLICA_PATH_PREFIXES", ["/innovations/", "/dashboards/", "/api/v1/"])
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
