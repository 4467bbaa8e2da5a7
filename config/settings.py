"""Settings, all read from environment variables (see .env.example); defaults suit the demo."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.backends import cache_from_url, cache_is_per_process, default_storage_from_env
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# PRODUCTION=true switches every default to the safe one and refuses to start without a real
# SECRET_KEY; the demo and the tests run with the defaults below.
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False) and not PRODUCTION
_DEMO_SECRET = "demo-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEMO_SECRET)
if PRODUCTION and (SECRET_KEY == _DEMO_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "PRODUCTION=true needs SECRET_KEY set to 50 or more random characters."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address printed in reports and QR codes (verification links).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Annual monitoring: a monitored value falling by more than this share is flagged (0.30 = 30 %).
MONITORING_FALL_THRESHOLD = env_str("MONITORING_FALL_THRESHOLD", "0.30")

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The third-party apps under translated names (assessment/third_party_apps.py).
    "assessment.third_party_apps.TasksConfig",
    "assessment.third_party_apps.AxesConfig",
    "django_otp",
    "assessment.third_party_apps.OtpTotpConfig",
    "assessment.third_party_apps.OtpStaticConfig",
    "questionnaires",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessment.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "assessment.security.middleware.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last: turns a lock-out noticed during sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "assessment.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'demo.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the demo's web server and task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not shared-cache memory, for the test database: the browser tests' live server
    # and the test share it from two threads, and memory databases lock whole tables.
    # Named per process so that two test runs at once never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessment.User"
# django-axes first: it refuses a locked-out account/address before the password is checked,
# on every sign-in that calls authenticate() (the site, the Django admin).
AUTHENTICATION_BACKENDS = [
    "assessment.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# GB/T 22239-2019 level 3: at least 10 characters from three of the four character classes,
# not like the account's name or email, not a common password, not one of the last five.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "assessment.security.passwords.CharacterClassValidator"},
    {"NAME": "assessment.security.passwords.PasswordHistoryValidator"},
]
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
# Officials and administrators change their password at least this often (0: never).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)

# The client's address: REMOTE_ADDR, or with this many reverse proxies in front (each
# appending to X-Forwarded-For), the address the outermost one saw (assessment/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Failed sign-ins are counted in the database (django-axes) per account and address, so every
# server process sees the same count: LOGIN_FAILURE_LIMIT failures lock that pair out for
# LOGIN_FAILURE_WINDOW_SECONDS.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_FAILURE_WINDOW_SECONDS / 3600
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "assessment.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "assessment.security.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "assessment.security.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

# Password reset mails per address and per client address and hour.
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 3, minimum=1)
PASSWORD_RESET_PER_HOUR_PER_ADDRESS = env_int("PASSWORD_RESET_PER_HOUR_PER_ADDRESS", 10, minimum=1)

# Two-factor sign-in (TOTP, django-otp). With PRODUCTION=true it is required of reviewers,
# experts, regulators and administrators (TWO_FACTOR_REQUIRED_ROLES); operators may enrol.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", ["reviewer", "expert", "regulator", "admin"]
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Platform Maturity Assessment")

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# sign-in whatever the activity.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# API tokens expire after API_TOKEN_DAYS unless created with another lifetime (at most
# API_TOKEN_MAX_DAYS).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)

# Audit events are kept at least this many days (manage.py prune_audit removes older ones).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Outside production WhiteNoise serves straight from static/, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and generated files live outside any web root; only permission-checked views serve them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    # Local disk, or the S3-compatible object store from S3_ENDPOINT_URL (config/backends.py).
    "default": default_storage_from_env(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20, minimum=1) * 1024 * 1024
# An Office/ODF file may unpack to at most this much (zip bombs are refused).
EVIDENCE_MAX_UNPACKED_BYTES = env_int("EVIDENCE_MAX_UNPACKED_MB", 200, minimum=1) * 1024 * 1024
# Quotas: files and bytes per submission, uploads per user and minute (counted in the database).
EVIDENCE_MAX_FILES_PER_SUBMISSION = env_int("EVIDENCE_MAX_FILES_PER_SUBMISSION", 200, minimum=1)
EVIDENCE_MAX_BYTES_PER_SUBMISSION = (
    env_int("EVIDENCE_MAX_MB_PER_SUBMISSION", 500, minimum=1) * 1024 * 1024
)
EVIDENCE_UPLOADS_PER_MINUTE = env_int("EVIDENCE_UPLOADS_PER_MINUTE", 10, minimum=1)
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled here; files a killed upload left behind
# are removed (older than an hour) whenever a file is uploaded.
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "upload-tmp"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REPORT_BATCH_KEEP_HOURS = env_int("REPORT_BATCH_KEEP_HOURS", 72, minimum=1)
# Issued PDFs are signed (PAdES) with this PKCS#12 key and certificate. Empty: outside
# production a self-signed demo certificate is generated under VAR_DIR/signing/ on first use;
# in production nothing is signed (or issued) until it is set.
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH", "")
SIGNING_PKCS12_PASSWORD = env_str("SIGNING_PKCS12_PASSWORD", "")
# Who issues the reports and certificates (cover and closing block), and the seal printed there
# (a PNG or SVG path; empty: no seal image).
REPORT_ISSUER_ZH = env_str("REPORT_ISSUER_ZH", "工业互联网平台成熟度评估工作组")
REPORT_ISSUER_EN = env_str("REPORT_ISSUER_EN", "Industrial Internet Platform Assessment Office")
REPORT_SEAL_IMAGE = env_str("REPORT_SEAL_IMAGE", "")
# Public verification (/v/<number>/): requests per client address per minute.
VERIFY_RATE_PER_MINUTE = env_int("VERIFY_RATE_PER_MINUTE", 30, minimum=1)
# Stored report PDFs nobody downloaded for this long are removed by housekeeping.
REPORT_FILE_KEEP_DAYS = env_int("REPORT_FILE_KEEP_DAYS", 30, minimum=1)
# Task workers beat every WORKER_HEARTBEAT_SECONDS; one silent for WORKER_DEAD_SECONDS is dead
# and its report is run again (REPORT_TASK_ATTEMPTS in all); a report rendering for longer
# than REPORT_TASK_TIMEOUT_SECONDS counts as dead too.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
WORKER_DEAD_SECONDS = env_int("WORKER_DEAD_SECONDS", 60, minimum=2)
REPORT_TASK_TIMEOUT_SECONDS = env_int("REPORT_TASK_TIMEOUT_SECONDS", 300, minimum=5)
REPORT_TASK_ATTEMPTS = env_int("REPORT_TASK_ATTEMPTS", 2, minimum=1)
# Finished task results are pruned by housekeeping after this many days.
TASK_RESULT_KEEP_DAYS = env_int("TASK_RESULT_KEEP_DAYS", 7, minimum=1)

# CACHE_URL: redis://host:6379/0 with several processes or hosts (API and verification throttles
# and the dashboards' cache version must reach all of them; lock-outs and idempotency keys are
# rows); locmem:// for the demo.
CACHES = {
    "default": cache_from_url(
        env_str("CACHE_URL", "locmem://platform-maturity"),
        key_prefix=env_str("CACHE_KEY_PREFIX", "pma"),
    )
}
if PRODUCTION and cache_is_per_process(CACHES["default"]):
    raise ImproperlyConfigured(
        "PRODUCTION=true needs a shared cache: set CACHE_URL=redis://host:6379/0 "
        "(a per-process cache keeps throttles and dashboard invalidation to one process)."
    )
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "PRODUCTION=true needs PostgreSQL: set DATABASE_URL=postgres://user:password@host/db "
        "(SQLite is for the demo on one machine)."
    )
# Dashboards: cached per filter set, invalidated when a score changes and at the latest after
# this many seconds (use a shared cache, e.g. the database cache, with several web workers).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 600)
# The lowest certified tier that makes a platform "influential" (the Action Plan's 450 target).
INFLUENTIAL_PLATFORM_MIN_TIER = env_str("INFLUENTIAL_PLATFORM_MIN_TIER", "growth")

# EMAIL_BACKEND: console in the demo; "django.core.mail.backends.smtp.EmailBackend" with the
# EMAIL_HOST… variables in production.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    # Emails go out from a task; a mail server that stops answering fails the attempt in
    # EMAIL_TIMEOUT seconds and the task tries again later (EMAIL_ATTEMPTS in all).
    "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
}
EMAIL_ATTEMPTS = env_int("EMAIL_ATTEMPTS", 4, minimum=1)
EMAIL_IN_BACKGROUND = env_bool("EMAIL_IN_BACKGROUND", True)
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60, minimum=1)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "assessment@localhost")

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "assessment.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # API: personal tokens first (so a missing login is a 401 with WWW-Authenticate), then the
    # browser's session; one error format; JSON only; a rate budget per token/user/address.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessment.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "assessment.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["assessment.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "1200/min"),
        "user": env_str("API_RATE_USER", "1200/min"),
        "anon": env_str("API_RATE_ANON", "120/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Platform Maturity Assessment API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PlatformKindEnum": "questionnaires.choices.PlatformKind",
        "EventKindEnum": "assessment.models.submissions.EventKind",
        "SubmissionStateEnum": "assessment.models.submissions.SubmissionState",
        "ResultEnum": "questionnaires.choices.Result",
        "TierEnum": "questionnaires.choices.Tier",
        "CertificationStatusEnum": "assessment.models.reviews.CertificationStatus",
        "ReportBatchStatusEnum": "assessment.models.reports.ReportBatchStatus",
        "ObjectionStatusEnum": "assessment.models.programme.ObjectionStatus",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 999_999_999_999_999_999}
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "assessment.api.schema.add_error_responses",
    ],
}

# Strict CSP: scripts and styles only from our own static files. Plotly adds <style> elements
# at run time, hence 'unsafe-inline' for styles only (never for scripts).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}
# Reviewers view evidence PDFs and images inline in a frame of the review screen.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

HTTPS = env_bool("HTTPS", PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the hosts over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining browsers' preload list is hard to undo; it is the operator's choice to make.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every render at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every sign-in; failures are in the audit trail (AuditEvent).
        "axes": {"level": "WARNING"},
    },
}
