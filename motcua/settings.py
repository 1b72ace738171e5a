"""motcua settings: one file, every value from the environment with a default that runs the demo.

Production sets MOTCUA_ENV=production, SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS;
`motcua check --deploy` is clean with those.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua.env import env_bool, env_float, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("MOTCUA_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "insecure-demo-key-change-me-" + "x" * 40)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when MOTCUA_ENV=production")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "motcua.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "oauth2_provider",
    # ours, in dependency order (docs/architecture.md)
    "motcua.core",
    "motcua.org",
    "motcua.catalog",
    "motcua.citizens",
    "motcua.dossiers",
    "motcua.civil",
    "motcua.feedback",
    "motcua.surveys",
    "motcua.assistant",
    "motcua.documents",
    "motcua.portal",
    "motcua.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.clientip.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The input boundary (docs/security.md): ill-formed text and deep JSON get a 400 before any view runs;
    # every write request is one transaction (last, so CSRF and the other checks ran first).
    "motcua.core.middleware.WellFormedInputMiddleware",
    "motcua.core.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file (not shared-cache memory) so tests with several threads see real SQLite locking;
    # one per process so parallel runs never share it.
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(_tempfile.gettempdir()) / f"motcua-test-{_os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "org/locked_out.html"
AXES_VERBOSE = False
# The real client address (behind nginx), the same one every limiter and the audit log use.
AXES_CLIENT_IP_CALLABLE = "motcua.core.clientip.client_ip"

# i18n: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Object storage for incoming documents that are not secret (empty bucket: local files).
MOTCUA_DOCUMENTS_S3 = {
    "bucket_name": env_str("MOTCUA_DOCUMENTS_S3_BUCKET"),
    "endpoint_url": env_str("MOTCUA_DOCUMENTS_S3_ENDPOINT") or None,
    "access_key": env_str("MOTCUA_DOCUMENTS_S3_ACCESS_KEY") or None,
    "secret_key": env_str("MOTCUA_DOCUMENTS_S3_SECRET_KEY") or None,
    "region_name": env_str("MOTCUA_DOCUMENTS_S3_REGION", "us-east-1"),
    "default_acl": None,
    "file_overwrite": False,
}
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    # Secret documents are pinned here whatever "default" becomes (object storage at scale).
    "local_secret": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "secret")},
    },
    # Incoming documents that are not secret: local files, or an S3-compatible bucket (documents.storage).
    "documents": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": MOTCUA_DOCUMENTS_S3}
        if MOTCUA_DOCUMENTS_S3["bucket_name"]
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "documents")},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MOTCUA_MAX_UPLOAD_BYTES = env_int("MOTCUA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# The input boundary: a JSON body larger than this is refused (413), one nested deeper is refused (400).
MOTCUA_MAX_JSON_BYTES = env_int("MOTCUA_MAX_JSON_BYTES", 1024 * 1024)
MOTCUA_MAX_JSON_DEPTH = env_int("MOTCUA_MAX_JSON_DEPTH", 32)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    )
}

# Background work: the Django Tasks API, database-backed by default (no other service to run). For scale, the
# same task code on a Redis broker: TASKS_BACKEND=django_tasks_rq.RQBackend with TASKS_REDIS_URL, and workers
# started with `motcua rqworker --job-class django_tasks_rq.Job default` (docs/deployment.md).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
TASKS_REDIS_URL = env_str("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")
# A task still RUNNING after this long lost its worker (kill -9): it is marked failed and the sweeps redo it.
MOTCUA_TASK_LEASE_SECONDS = env_int("MOTCUA_TASK_LEASE_SECONDS", 900)
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS.append("django_rq")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        # connected systems' OAuth2 client-credentials tokens from /o/token/ (motcua.org.clients)
        "motcua.org.clients.SystemClientAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "motcua.core.parsers.JSONParser",
        "motcua.core.parsers.FormParser",
        "motcua.core.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "public_lookup": env_str("PUBLIC_LOOKUP_RATE", "60/min"),
        "anon": env_str("ANON_RATE", "600/min"),
        # POST /api/v1/assistant/ask per client address (docs/assistant.md).
        "assistant": env_str("ASSISTANT_RATE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": (
        "One-stop-shop platform: procedures, dossiers, feedback, calendar. Text anywhere in a request (path, "
        "query, keys and strings of a JSON body) must be well-formed UTF-8 without NUL characters, and JSON "
        "bodies at most 1 MB and 32 levels deep: otherwise the answer is 400 `ill_formed_text`/`too_deep` or "
        "413 `too_large`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DossierChannelEnum": "motcua.dossiers.models.Channel",
        "DossierStatusEnum": "motcua.dossiers.models.DossierStatus",
        "ReportStatusEnum": "motcua.feedback.models.ReportStatus",
        "TransitionCompleteActionEnum": [("complete", "complete")],
        "SexEnum": "motcua.civil.models.Sex",
        "MaritalOutcomeEnum": "motcua.civil.models.MaritalOutcome",
        "DossierOutcomeEnum": "motcua.dossiers.models.Outcome",
    },
    # connected systems: OAuth2 client credentials at /o/token/, scopes `<role>@<unit code>` (org.clients)
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/o/token/",
    "OAUTH2_SCOPES": {
        "desk_officer@<mã đơn vị>": "Cán bộ một cửa của đơn vị",
        "specialist@<mã đơn vị>": "Chuyên viên của đơn vị",
        "unit_leader@<mã đơn vị>": "Lãnh đạo đơn vị",
        "clerk@<mã đơn vị>": "Văn thư của đơn vị",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.core.openapi.add_standard_errors",
    ],
}

# Security headers; production turns on the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "motcua@localhost")

# --- motcua's own settings -------------------------------------------------------------
# Province this installation serves (official code; 79 = Ho Chi Minh City).
MOTCUA_PROVINCE_CODE = env_str("MOTCUA_PROVINCE_CODE", "79")
# Incoming documents (motcua.documents): local OCR on/off and its time limit per page, the inter-agency
# exchange endpoint for edXML status messages ("" = the local outbox only), reminder lead time.
MOTCUA_DOCUMENTS_OCR = env_bool("MOTCUA_DOCUMENTS_OCR", True)
MOTCUA_DOCUMENTS_OCR_TIMEOUT = env_int("MOTCUA_DOCUMENTS_OCR_TIMEOUT", 180)
MOTCUA_DOCUMENTS_EXCHANGE_URL = env_str("MOTCUA_DOCUMENTS_EXCHANGE_URL", "")
MOTCUA_DOCUMENTS_REMIND_HOURS = env_int("MOTCUA_DOCUMENTS_REMIND_HOURS", 24)
# Suffix of agency identifiers in dossier codes (TT 01/2018 Art 19; HCMC uses H29).
MOTCUA_AGENCY_SUFFIX = env_str("MOTCUA_AGENCY_SUFFIX", "H29")
# Public base URL printed in QR codes on receipts and extracts.
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
# Notification adapters per channel: "outbox" keeps messages in the local outbox (development and demo only),
# "email" sends through Django's e-mail backend, "disabled" marks messages failed, or a dotted path to an
# `motcua.core.notify.Adapter`. Production has no default: a channel without one refuses to start
# (system check motcua.E001), so messages are never marked sent without leaving the server.
_ADAPTER_DEFAULT = "" if PRODUCTION else "outbox"
MOTCUA_SMS_ADAPTER = env_str("MOTCUA_SMS_ADAPTER", _ADAPTER_DEFAULT)
MOTCUA_EMAIL_ADAPTER = env_str("MOTCUA_EMAIL_ADAPTER", _ADAPTER_DEFAULT)
MOTCUA_ZALO_ADAPTER = env_str("MOTCUA_ZALO_ADAPTER", _ADAPTER_DEFAULT)
# The "http-sms" adapter's gateway (an SMS brandname provider's HTTP API; motcua.core.fakesms speaks it).
MOTCUA_SMS_GATEWAY_URL = env_str("MOTCUA_SMS_GATEWAY_URL", "")
MOTCUA_SMS_GATEWAY_TOKEN = env_str("MOTCUA_SMS_GATEWAY_TOKEN", "")
MOTCUA_SMS_SENDER = env_str("MOTCUA_SMS_SENDER", "MOTCUA")
# The outbox viewer (/staff/outbox/, bodies with secrets masked) is a demo and diagnostic tool.
MOTCUA_OUTBOX_VIEWER = env_bool("MOTCUA_OUTBOX_VIEWER", not PRODUCTION)
# Demo only: the sign-in page shows the one-time code to the browser that asked for it (there is no real
# phone in a demo). Refused in production (system check motcua.E003).
MOTCUA_DEMO_PHONE = env_bool("MOTCUA_DEMO_PHONE", False)
# The demo's phone numbers: messages to them land, readable, on the demo phone page (/demo/dien-thoai/).
# Exact numbers, or prefixes ending in "*"; messages to any other number are only kept masked in the outbox.
MOTCUA_DEMO_PHONE_NUMBERS = env_list("MOTCUA_DEMO_PHONE_NUMBERS", ["0901234567", "0900000*"])
# The audit chain's HMAC key, kept outside the database (docs/security.md). Production must set it
# (motcua.E002); elsewhere a key is generated once into VAR_DIR/audit.key. Checkpoints of the chain heads
# are written to MOTCUA_AUDIT_CHECKPOINT_DIR (default VAR_DIR/audit-checkpoints), ideally a write-once store.
MOTCUA_AUDIT_KEY = env_str("MOTCUA_AUDIT_KEY", "")
MOTCUA_AUDIT_CHECKPOINT_DIR = Path(
    env_str("MOTCUA_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
)
MOTCUA_AUDIT_CHECKPOINT_SECONDS = env_int("MOTCUA_AUDIT_CHECKPOINT_SECONDS", 3600)
# PAdES signatures on result papers and civil-status extracts (core.pdfsign). Production must name the unit's
# signing key and certificate issued by a recognised CA (motcua.E004); elsewhere a local demo CA and signer
# are generated once into MOTCUA_SIGNING_DIR (never committed, never used in production).
MOTCUA_SIGNING_KEY = env_str("MOTCUA_SIGNING_KEY", "")
MOTCUA_SIGNING_CERT = env_str("MOTCUA_SIGNING_CERT", "")
MOTCUA_SIGNING_CHAIN = env_list("MOTCUA_SIGNING_CHAIN", [])
MOTCUA_SIGNING_TRUST_ROOTS = env_list("MOTCUA_SIGNING_TRUST_ROOTS", [])
MOTCUA_SIGNING_DIR = Path(env_str("MOTCUA_SIGNING_DIR", str(VAR_DIR / "signing")))
MOTCUA_NATIONAL_PORTAL_URL = env_str("MOTCUA_NATIONAL_PORTAL_URL", "")
MOTCUA_POPULATION_REGISTRY_URL = env_str("MOTCUA_POPULATION_REGISTRY_URL", "http://127.0.0.1:8790")
MOTCUA_CLIENT_ID = env_str("MOTCUA_CLIENT_ID", "VN/GOV/79/motcua")
MOTCUA_REGISTRY_TIMEOUT = env_float("MOTCUA_REGISTRY_TIMEOUT", 2.0)
MOTCUA_REGISTRY_RETRIES = env_int("MOTCUA_REGISTRY_RETRIES", 1)
# Registry services per role, JSON {"role": ["service", ...]}; empty: citizens.services.DEFAULT_ROLE_SERVICES.
MOTCUA_REGISTRY_PERMISSIONS = env_json("MOTCUA_REGISTRY_PERMISSIONS", None)
# Civil status (domain.md: fee and validity are provincial values, verify each year).
MOTCUA_EXTRACT_FEE = env_int("MOTCUA_EXTRACT_FEE", 8000)
MOTCUA_MARITAL_CERT_VALID_MONTHS = env_int("MOTCUA_MARITAL_CERT_VALID_MONTHS", 6)
# Registry reads by one officer in one day: counter intake sessions that led to no dossier (each look-up
# before a dossier exists is bound to a session, open MOTCUA_INTAKE_SESSION_MINUTES), and the distinct
# people looked up after which the unit leaders are alerted (0 = no alert).
MOTCUA_REGISTRY_INTAKE_PER_DAY = env_int("MOTCUA_REGISTRY_INTAKE_PER_DAY", 40)
MOTCUA_INTAKE_SESSION_MINUTES = env_int("MOTCUA_INTAKE_SESSION_MINUTES", 120)
MOTCUA_READ_ALERT_PER_DAY = env_int("MOTCUA_READ_ALERT_PER_DAY", 200)
# Civil-status records of other units read by one officer in one day (each with its purpose, audited).
MOTCUA_CROSS_UNIT_READS_PER_DAY = env_int("MOTCUA_CROSS_UNIT_READS_PER_DAY", 100)
MOTCUA_VERIFY_RATE_PER_MINUTE = env_int("MOTCUA_VERIFY_RATE_PER_MINUTE", 30)
# Client address (core.clientip): CIDRs of the reverse proxies in front of gunicorn, e.g. "127.0.0.1/32".
# Empty: the X-Forwarded-For header is ignored and the TCP peer is the client.
MOTCUA_TRUSTED_PROXIES = env_list("MOTCUA_TRUSTED_PROXIES", [])
# Portal and kiosk look-ups per client address per minute (the defaults of the "track" scopes below).
PORTAL_LOOKUP_PER_MINUTE = env_int("PORTAL_LOOKUP_PER_MINUTE", 30)
PORTAL_KIOSK_LOOKUP_PER_MINUTE = env_int("PORTAL_KIOSK_LOOKUP_PER_MINUTE", 60)
# Rate limits (core.ratelimit), "N/period" per client address; "<scope>:target" counts per guessed object
# (a dossier code). MOTCUA_RATE_LIMITS="track=30/m,rate=20/m" overrides single scopes.
MOTCUA_RATE_LIMITS = {
    "otp-verify": "30/m",
    "track": f"{PORTAL_LOOKUP_PER_MINUTE}/m",
    "kiosk-track": f"{PORTAL_KIOSK_LOOKUP_PER_MINUTE}/m",
    "kiosk-feedback": "10/m",
    "feedback-web": "20/10m",
    "civil-verify": f"{MOTCUA_VERIFY_RATE_PER_MINUTE}/m",
    "lookup-verify": "30/m",
    "lookup-verify:target": "10/h",
    "rate": "20/m",
    "rate:target": "10/h",
    "open311": "120/m",
    "hotline-lookup": "60/10m",  # per operator: a call centre shares one address
} | dict(item.split("=", 1) for item in env_list("MOTCUA_RATE_LIMITS", []) if "=" in item)
# Feedback: inbound mailbox (pop3s://user:pw@host or imaps://...) and the Open311 jurisdiction.
FEEDBACK_MAILBOX_URL = env_str("FEEDBACK_MAILBOX_URL", "")
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "tphcm.gov.vn")
OPEN311_DEMO_API_KEY = env_str("OPEN311_DEMO_API_KEY", "demo-open311-key")
# Origins whose browser scripts may read Open311 (comma-separated; "*" for any). None by default.
OPEN311_CORS_ORIGINS = env_list("OPEN311_CORS_ORIGINS", [])
# Satisfaction ratings: the SMS link's validity, the edit window, the "satisfied" threshold (docs/portal.md).
SURVEYS_LINK_DAYS = env_int("SURVEYS_LINK_DAYS", 30)
SURVEYS_EDIT_HOURS = env_int("SURVEYS_EDIT_HOURS", 24)
SURVEYS_SATISFIED_MIN = env_int("SURVEYS_SATISFIED_MIN", 4)

# --- Citizen portal and kiosk (docs/portal.md) ------------------------------------------------------------
PORTAL_OTP_TTL_SECONDS = env_int("PORTAL_OTP_TTL_SECONDS", 300)
PORTAL_OTP_PER_PHONE = env_int("PORTAL_OTP_PER_PHONE", 3)
PORTAL_OTP_PER_IP = env_int("PORTAL_OTP_PER_IP", 10)
PORTAL_OTP_WINDOW_SECONDS = env_int("PORTAL_OTP_WINDOW_SECONDS", 600)
PORTAL_OTP_MAX_ATTEMPTS = env_int("PORTAL_OTP_MAX_ATTEMPTS", 5)
PORTAL_KIOSK_IDLE_SECONDS = env_int("PORTAL_KIOSK_IDLE_SECONDS", 60)

# --- Citizen sign-in --------------------------------------------------------------------
# Phone + one-time code, and OpenID Connect against the national identity service (VNeID). In development
# the platform's own OpenID Connect provider (django-oauth-toolkit at /o/) stands in for VNeID.
AUTHENTICATION_BACKENDS += [
    "motcua.portal.auth.PhoneOTPBackend",
    "motcua.portal.auth.VNeIDBackend",
]


def _oidc_private_key() -> str:
    key = env_str("OIDC_RSA_PRIVATE_KEY")
    if key:
        return key
    path = VAR_DIR / "oidc-dev-rsa.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return path.read_text()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _oidc_private_key(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "motcua.portal.oidc.VNeIDValidator",
    # RFC 9700 (OAuth 2.0 Security BCP) behaviour
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": PRODUCTION,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["http", "https"],
    "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, số định danh", "phone": "Số điện thoại"},
    # connected systems ask for `<role>@<unit code>` scopes of the roles their client holds (org.clients)
    "SCOPES_BACKEND_CLASS": "motcua.org.clients.ClientScopes",
}
# The demo's connected system (org/demo.py): every working role of phường Cầu Ông Lãnh, via /o/token/.
DEMO_INTEGRATOR_CLIENT_ID = env_str("DEMO_INTEGRATOR_CLIENT_ID", "demo-integrator")
DEMO_INTEGRATOR_CLIENT_SECRET = env_str("DEMO_INTEGRATOR_CLIENT_SECRET", "demo-integrator-secret")
VNEID_ENABLED = env_bool("VNEID_ENABLED", not PRODUCTION)
# The platform's own OpenID Connect provider at /o/ standing in for VNeID (never in production by default).
VNEID_LOCAL_PROVIDER = env_bool("VNEID_LOCAL_PROVIDER", not PRODUCTION)
OIDC_RP_CLIENT_ID = env_str("VNEID_CLIENT_ID", "motcua-portal-demo")
OIDC_RP_CLIENT_SECRET = env_str("VNEID_CLIENT_SECRET", "motcua-portal-demo-secret")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile phone"
_OP = env_str("VNEID_ISSUER", MOTCUA_PUBLIC_URL.rstrip("/") + "/o")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("VNEID_AUTHORIZATION_ENDPOINT", f"{_OP}/authorize/")
OIDC_OP_TOKEN_ENDPOINT = env_str("VNEID_TOKEN_ENDPOINT", f"{_OP}/token/")
OIDC_OP_USER_ENDPOINT = env_str("VNEID_USERINFO_ENDPOINT", f"{_OP}/userinfo/")
OIDC_OP_JWKS_ENDPOINT = env_str("VNEID_JWKS_ENDPOINT", f"{_OP}/.well-known/jwks.json")
OIDC_USE_PKCE = True
LOGIN_REDIRECT_URL_CITIZEN = "/tai-khoan/"

# --- Serving in production (docs/deployment.md) ------------------------------------------
# Persistent connections checked before reuse: a new connection per request cost most of a look-up.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# First: the request id exists before anything logs, and latency covers the whole stack.
MIDDLEWARE.insert(0, "motcua.core.logging.RequestLogMiddleware")
# Probes and scrapers speak plain HTTP to the local proxy.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
# /metrics: addresses (CIDR allowed) or a bearer token; neither set refuses every scrape.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# "json": one JSON object per line with the request id (production default); "text" for a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING["filters"] = {"request_id": {"()": "motcua.core.logging.RequestIdFilter"}}
LOGGING["formatters"] = {
    "json": {"()": "motcua.core.logging.JsonFormatter"},
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
}
LOGGING["handlers"]["console"].update({"formatter": LOG_FORMAT, "filters": ["request_id"]})
# One access line per request (method, route, status, duration, request id); off by default in development.
LOGGING.setdefault("loggers", {})["motcua.request"] = {
    "level": "INFO" if env_bool("LOG_REQUESTS", PRODUCTION) else "WARNING"
}
# Backups (motcua backup/restore): 32-byte key, URL-safe base64 (`motcua backup --new-key` makes one).
MOTCUA_BACKUP_KEY = env_str("MOTCUA_BACKUP_KEY", "")

# --- The 24/7 assistant (docs/assistant.md) ----------------------------------------------------------
# The ward whose officers answer hand-overs from the web chat, the kiosk and Zalo (a unit code).
ASSISTANT_UNIT_CODE = env_str("ASSISTANT_UNIT_CODE", "26758")
# Zalo Official Account: webhook signature (app id + OA secret key) and the customer-service message API.
ASSISTANT_ZALO_ENABLED = env_bool("ASSISTANT_ZALO_ENABLED", not PRODUCTION)
ASSISTANT_ZALO_APP_ID = env_str("ASSISTANT_ZALO_APP_ID", "" if PRODUCTION else "demo-app")
ASSISTANT_ZALO_OA_SECRET = env_str("ASSISTANT_ZALO_OA_SECRET", "" if PRODUCTION else "demo-oa-secret")
ASSISTANT_ZALO_ACCESS_TOKEN = env_str("ASSISTANT_ZALO_ACCESS_TOKEN", "" if PRODUCTION else "demo-access-token")
ASSISTANT_ZALO_API_URL = env_str("ASSISTANT_ZALO_API_URL", "http://127.0.0.1:8792")
# The URL verification answer Zalo expects (the content of the verifier file / meta tag it issues).
ASSISTANT_ZALO_VERIFIER = env_str("ASSISTANT_ZALO_VERIFIER", "" if PRODUCTION else "demo-zalo-verifier")
# Webhook events older than this many seconds are refused (replays).
ASSISTANT_ZALO_MAX_AGE = env_int("ASSISTANT_ZALO_MAX_AGE", 600)
# The `zalo` channel's phone recipients (dossier notices) when MOTCUA_ZALO_ADAPTER is the OA adapter.
ASSISTANT_ZALO_PHONE_ADAPTER = env_str("ASSISTANT_ZALO_PHONE_ADAPTER", "disabled" if PRODUCTION else "outbox")
