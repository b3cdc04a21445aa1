"""Django settings for Stadtmelder, all overridable from the environment (config/env.py)."""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .app_settings import env_overrides
from .databases import databases_from_env
from .env import BASE_DIR, env
from .redis_ha import cache_from_env, celery_from_env
from .storage import storages_from_env

DEBUG = env.bool("DEBUG", default=False)
# The default key only exists so `make run` works out of the box; production sets SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config",  # project-wide system checks (config.checks)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "eforms",
    "cases",
    "accounts",
    "services.sozialcard",
    "services.meldebescheinigung",
    "services.abmeldung",
    "services.anliegen",
    "payments",
    "fitconnect_sender",
    # The demo OpenID provider's tables (accounts.demo_provider); its URLs are mounted only
    # with DEMO_OIDC_PROVIDER=true.
    "oauth2_provider",
    "geodata",
    "basemap",
    "routing_rules",
    "notifications",
    "reporter",
    "mobile_api",
    "open311",
    "opendata",
    "ozgmonitor",
    "frontend",
    "backoffice",
    "axes",
    "csp",
    "health",
]

MIDDLEWARE = [
    # First: /healthz, /readyz and /metrics need no host check, session or transaction (health).
    "health.middleware.ProbeMiddleware",
    "health.request_log.RequestLogMiddleware",
    "health.metrics.RequestMetricsMiddleware",
    # Before sessions: a session written after the view pins the client to the primary.
    "config.db_router.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.InputGuardMiddleware",  # after Locale: its 400/413 speak the request's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# --- Security: client address, login lockout, HTTPS, Content-Security-Policy -------------
# Proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; empty: none, the
# client is REMOTE_ADDR (config.client_ip, used by the lockout and every rate limit).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
MIDDLEWARE += [
    "config.db_retry.RetryOnDroppedConnectionMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    # Last: it turns a login refused by the lockout into the lockout page (config.lockout).
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After LOGIN_FAILURE_LIMIT wrong passwords for one user name from one address, every login
# (admin, back office, crew app) of that pair is refused for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_VERBOSE = False
# Keep only the failure counts the lockout needs, no log of every successful login (IP, browser).
AXES_DISABLE_ACCESS_LOG = True
# HTTPS=true (behind TLS) switches on HSTS, the redirect to https and Secure cookies; each
# can also be set on its own.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
if TRUSTED_PROXIES:
    # Our proxy terminates TLS and says so; it must overwrite a client's own header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The policy itself (only our own origin, plus the map tiles) is built in config.csp.

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "frontend.context_processors.site",
            ],
        },
    },
]

# Primary, read replica, PgBouncer (config.databases); reads routed by config.db_router.
DATABASES = databases_from_env(env)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
# Seconds a client that wrote reads from the primary; seconds reads avoid a replica that broke.
DATABASE_PIN_SECONDS = env.int("DATABASE_PIN_SECONDS", default=10)
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# npm packages (installed by scripts/setup.sh from package-lock.json), served by us: no CDN.
STATICFILES_DIRS = [
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
    # ES modules: maplibre-gl.mjs starts its worker from maplibre-gl-worker.mjs beside it
    # (same origin, so the CSP's worker-src 'self' holds; no blob: worker).
    ("vendor/maplibre-gl", BASE_DIR / "node_modules" / "maplibre-gl" / "dist"),
    # The Sozialcard draws its QR code on the phone (offline): qrcode-generator.
    ("vendor/qrcode-generator", BASE_DIR / "node_modules" / "qrcode-generator" / "dist"),
]
# Single files of npm packages (config.staticfinders): OpenLayers' browser build and its
# stylesheet for the admin's geometry widget (config.admin_widgets).
STATICFILES_FILES = [
    ("vendor/ol", BASE_DIR / "node_modules" / "ol" / "dist" / "ol.js"),
    ("vendor/ol", BASE_DIR / "node_modules" / "ol" / "ol.css"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.SingleFileFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
# Public, moderated derivatives only. Originals (with EXIF) live in PRIVATE_MEDIA_ROOT,
# which is never served.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Local disk or S3-compatible object storage (STORAGE_BACKEND, S3_*): see config/storage.py.
STORAGES = {
    **storages_from_env(env, private_root=PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Upload caps (photos): bytes per file and decoded pixels per image.
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stadtmelder@example.invalid")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Broker, result backend, publish retries, beat scheduler: one Redis or Redis Sentinel
# (config.redis_ha; CELERY_BROKER_URL, CELERY_BROKER_SENTINEL_MASTER, CELERY_BEAT_SCHEDULER).
vars().update({f"CELERY_{name}": value for name, value in celery_from_env(env).items()})
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through Django's LOGGING (LOG_FORMAT=json included; health.task_log).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The beat schedule is owned by the apps: each registers its periodic tasks through the hook
# `register_periodic_tasks` in its portal_hooks.py (`config.celery.beat_schedule`). Only
# a deployment's own extra entries belong here.
CELERY_BEAT_SCHEDULE = {}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request to a staff endpoint gets 401 + WWW-Authenticate.
        "reporter.api.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stadtmelder API",
    "DESCRIPTION": "Stadtmelder (Mängelmelder): defect reports, routing to the responsible department, "
                   "feedback to reporters. Coordinates are WGS 84 lon/lat (EPSG:4326).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The registered services as the enum of Service.slug (portal.openapi), after the default hook.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "portal.openapi.services_in_schema"],
    # One schema name per choice set (`spectacular --validate --fail-on-warn` stays quiet).
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reporter.models.Report.Status",
        "ReportModerationEnum": "reporter.models.Report.Moderation",
        "PhotoModerationEnum": "reporter.models.ReportPhoto.Moderation",
        "PhotoKindEnum": "reporter.models.ReportPhoto.Kind",
    },
}

# Shared by all web workers (rate limits); Redis db 1, the broker uses db 0.
# CACHE_URL: redis://… or a Sentinel list sentinel://…;…/1 (config.redis_ha).
CACHES = {"default": cache_from_env(env)}

# Citizen pages. The maps draw with MapLibre GL JS on the city's own basemap
# (basemap/, /karte/basemap/style.json): no third-party request at run time. A city that wants
# an external raster tile service sets TILE_URL ({z}/{x}/{y}, optionally {s}) and its credit in
# TILE_ATTRIBUTION; the maps then use that raster layer instead of the basemap.
FRONTEND = {
    "CITY_NAME": env.str("CITY_NAME", default="Gera (Demo)"),
    "TILE_URL": env.str("TILE_URL", default=""),
    "TILE_ATTRIBUTION": env.str("TILE_ATTRIBUTION", default=""),
    # lon, lat (WGS 84) and zoom of the initial map view
    "MAP_CENTER": env.list("MAP_CENTER", cast=float, default=[12.08, 50.88]),
    "MAP_ZOOM": env.int("MAP_ZOOM", default=13),
}

# The apps' own settings: one namespaced dict each, read through one reader per app
# (`config.app_settings.AppSettings` in the app's conf.py, where every default lives). Here
# only what the environment sets is put in (`env_overrides`); see README "Configuration".
STADTMELDER = env_overrides({
    # reporter.conf: photo limits, rate limit ("30/hour"; empty disables), the federal state
    # whose holidays are not working days, decimals of every public coordinate (the former
    # OPENDATA_LOCATION_DECIMALS is read as a fallback).
    "PHOTO_MAX_BYTES": ("PHOTO_MAX_BYTES", "int"),
    "PHOTO_MAX_PIXELS": ("PHOTO_MAX_PIXELS", "int"),
    "PHOTO_PUBLIC_MAX_EDGE": ("PHOTO_PUBLIC_MAX_EDGE", "int"),
    "REPORT_CREATE_RATE": ("REPORT_CREATE_RATE", "str"),
    "HOLIDAY_STATE": ("HOLIDAY_STATE", "str"),
    # How many matching reports the public list counts exactly (beyond: "more than").
    "LIST_COUNT_MAX": ("LIST_COUNT_MAX", "int"),
    "PUBLIC_COORDINATE_DECIMALS": ("OPENDATA_LOCATION_DECIMALS", "int"),
}) | env_overrides({
    "PUBLIC_COORDINATE_DECIMALS": ("PUBLIC_COORDINATE_DECIMALS", "int"),
    # notifications.conf: delivery attempts and webhook timeout (s).
    "NOTIFICATION_MAX_ATTEMPTS": ("NOTIFICATION_MAX_ATTEMPTS", "int"),
    "WEBHOOK_TIMEOUT": ("WEBHOOK_TIMEOUT", "float"),
})

# Citizen account (read through `accounts.conf`, defaults there): the identity broker's OpenID
# Connect client (BundID, a state's Servicekonto); login with OIDC is off while OIDC_ISSUER is empty.
ACCOUNTS = env_overrides({
    "OIDC_ISSUER": ("OIDC_ISSUER", "str"),
    "OIDC_CLIENT_ID": ("OIDC_CLIENT_ID", "str"),
    "OIDC_CLIENT_SECRET": ("OIDC_CLIENT_SECRET", "str"),
    # `acr` claim -> trust level (default: BundID's STORK QAA levels); e.g. OIDC_ACR_TRUST_LEVELS=
    # "urn:a=basisregistrierung,urn:b=substanziell,urn:c=hoch" for another broker.
    "ACR_TRUST_LEVELS": ("OIDC_ACR_TRUST_LEVELS", "dict"),
    "EMAIL_LOGIN_RATE": ("ACCOUNTS_EMAIL_LOGIN_RATE", "str"),
})
if "OIDC_ISSUER" in ACCOUNTS:
    ACCOUNTS["OIDC_ISSUER"] = ACCOUNTS["OIDC_ISSUER"].rstrip("/")
# Development only: a demo OpenID provider (django-oauth-toolkit) at /demo-oidc/, with a key
# made by `manage.py demo_oidc_provider` in var/demo-oidc/ (scripts/run.sh). Never in production.
DEMO_OIDC_PROVIDER = env.bool("DEMO_OIDC_PROVIDER", default=False)
DEMO_OIDC_KEY_FILE = BASE_DIR / "var" / "demo-oidc" / "private-key.pem"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "PKCE_REQUIRED": True,
    "OIDC_RSA_PRIVATE_KEY": (DEMO_OIDC_KEY_FILE.read_text()
                            if DEMO_OIDC_PROVIDER and DEMO_OIDC_KEY_FILE.exists() else ""),
    "OAUTH2_VALIDATOR_CLASS": "accounts.demo_provider.validators.DemoOIDCValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Name", "email": "E-Mail", "address": "Anschrift"},
}

# Cases (Vorgänge) of every service (read through `cases.conf`, defaults there).
CASES = env_overrides({
    "ATTACHMENT_MAX_BYTES": ("CASE_ATTACHMENT_MAX_BYTES", "int"),
    "ATTACHMENT_MAX_PER_UPLOAD": ("CASE_ATTACHMENT_MAX_PER_UPLOAD", "int"),
})
# FIT-Connect sender (read through `fitconnect_sender.conf`, defaults there): sending is off while
# FITCONNECT_SUBMISSION_API_URL is empty; the beat job reads the event logs of submitted cases.
FITCONNECT = env_overrides({
    "TOKEN_URL": ("FITCONNECT_TOKEN_URL", "str"),
    "SUBMISSION_API_URL": ("FITCONNECT_SUBMISSION_API_URL", "str"),
    "CLIENT_ID": ("FITCONNECT_CLIENT_ID", "str"),
    "CLIENT_SECRET": ("FITCONNECT_CLIENT_SECRET", "str"),
    "TRUSTED_CA_FILE": ("FITCONNECT_TRUSTED_CA_FILE", "str"),
    "CALLBACK_SECRET": ("FITCONNECT_CALLBACK_SECRET", "str"),
    "MAX_ATTEMPTS": ("FITCONNECT_MAX_ATTEMPTS", "int"),
})
# The general request (services.anliegen, read through `services/anliegen/conf.py`, defaults there).
ANLIEGEN = env_overrides({
    "TRIAGE_DEPARTMENT": ("ANLIEGEN_TRIAGE_DEPARTMENT", "str"),
    "SLA_DAYS": ("ANLIEGEN_SLA_DAYS", "int"),
    # Requests by email (services/anliegen/mail): the intake address, the mailbox beat polls
    # (imaps://user:password@host/INBOX; empty: none, e.g. when the MTA pipes mail in).
    "MAIL_ADDRESS": ("ANLIEGEN_MAIL_ADDRESS", "str"),
    "MAIL_TOPIC": ("ANLIEGEN_MAIL_TOPIC", "str"),
    "MAIL_MAX_BYTES": ("ANLIEGEN_MAIL_MAX_BYTES", "int"),
    "MAIL_IMAP_URL": ("ANLIEGEN_MAIL_IMAP_URL", "str"),
    "MAIL_IMAP_DONE_FOLDER": ("ANLIEGEN_MAIL_IMAP_DONE_FOLDER", "str"),
})

# Fee payments (payments.conf, defaults there): the provider in use ("test": the in-process test page).
PAYMENTS = env_overrides({
    "PROVIDER": ("PAYMENT_PROVIDER", "str"),
})
# Registration certificate and deregistration abroad (services/meldebescheinigung/conf.py and
# services/abmeldung/conf.py, defaults there).
MELDEBESCHEINIGUNG = env_overrides({
    "DEPARTMENT": ("MELDEBESCHEINIGUNG_DEPARTMENT", "str"),
    "TRUST_LEVEL": ("MELDEBESCHEINIGUNG_TRUST_LEVEL", "str"),
    "FEE_SIMPLE_CENTS": ("MELDEBESCHEINIGUNG_FEE_SIMPLE_CENTS", "int"),
    "FEE_EXTENDED_CENTS": ("MELDEBESCHEINIGUNG_FEE_EXTENDED_CENTS", "int"),
})
# Sozialcard (services/sozialcard/conf.py, defaults there).
SOZIALCARD = env_overrides({
    "DEPARTMENT": ("SOZIALCARD_DEPARTMENT", "str"),
    "TRUST_LEVEL": ("SOZIALCARD_TRUST_LEVEL", "str"),
    "CARD_HASH_KEY": ("SOZIALCARD_CARD_HASH_KEY", "str"),
    "TILL_RATE": ("SOZIALCARD_TILL_RATE", "str"),
    "ACTIVATION_CODE_MINUTES": ("SOZIALCARD_ACTIVATION_CODE_MINUTES", "int"),
    "ACTIVATION_RATE": ("SOZIALCARD_ACTIVATION_RATE", "str"),
    "RENEWAL_REMINDER_DAYS": ("SOZIALCARD_RENEWAL_REMINDER_DAYS", "int"),
})
ABMELDUNG = env_overrides({
    "DEPARTMENT": ("ABMELDUNG_DEPARTMENT", "str"),
    "TRUST_LEVEL": ("ABMELDUNG_TRUST_LEVEL", "str"),
    "RETENTION_DAYS": ("ABMELDUNG_RETENTION_DAYS", "int"),
})


# opendata.conf and opendata.exports.conf. Pushing to an upstream CKAN (a state portal) is off
# while CKAN_UPSTREAM_URL is empty.
OPENDATA = env_overrides({
    "UPSTREAM_URL": ("CKAN_UPSTREAM_URL", "str"),
    "UPSTREAM_API_KEY": ("CKAN_UPSTREAM_API_KEY", "str"),
    "UPSTREAM_OWNER_ORG": ("CKAN_UPSTREAM_OWNER_ORG", "str"),
    "UPSTREAM_NAME_PREFIX": ("CKAN_UPSTREAM_NAME_PREFIX", "str"),
    "UPSTREAM_ORGANIZATIONS": ("CKAN_UPSTREAM_ORGANIZATIONS", "list"),
    "CITY_ORGANIZATION": ("OPENDATA_CITY_ORGANIZATION", "str"),
    "CONTRIBUTOR_ID": ("OPENDATA_CONTRIBUTOR_ID", "str"),
})

# CORS (django-cors-headers): browser applications on other sites may read the open
# interfaces anonymously — Open311, the CKAN Action API, OGC API, DCAT catalogue, downloads
# and the public /api/v1/ endpoints. Never with credentials (no cookies, so "*" is safe);
# the staff API (/api/v1/staff/), the field-crew API (/api/mobile/) and the back office
# (/sachbearbeitung/) get no CORS headers at all. POST is allowed for Open311 (api_key) and
# the CKAN Action API (token header), not for cookie-authenticated writes.
INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "corsheaders.middleware.CorsMiddleware")
# Outside CORS and Locale: answers that are the same for every language and origin (vector
# tiles) keep the Vary their view set (config.vary).
MIDDLEWARE.insert(MIDDLEWARE.index("corsheaders.middleware.CorsMiddleware"), "config.vary.ExactVaryMiddleware")
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
CORS_URLS_REGEX = (r"^/(?:api/v1/(?!staff/)|api/(?:3/?$|(?:3/)?action/)|ogc/|open311/|catalog(?:\.\w+)?$"
                   r"|dataset/[^/]+(?:\.(?:ttl|rdf|xml|jsonld)$|/resource/[^/]+/download))")

# Forms as data (read through `eforms.conf`, defaults there): the largest file a form field
# may accept (bytes) and the private storage that keeps submitted files.
EFORMS = env_overrides({
    "UPLOAD_MAX_BYTES": ("EFORMS_UPLOAD_MAX_BYTES", "int"),
    "UPLOAD_STORAGE": ("EFORMS_UPLOAD_STORAGE", "str"),
})

# GDAL 3.6 triggers gis.W001 (Django 5.2 wants >= 3.7 for some features); we use GDAL only
# for trusted EPSG codes and file reading, never with user-supplied SRS text.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Probes, metrics and request logs (health.conf, defaults there; README "Health, metrics and logs").
HEALTH = env_overrides({
    "CHECK_TIMEOUT": ("HEALTH_CHECK_TIMEOUT", "float"),
    "METRICS_ALLOWED_NETWORKS": ("METRICS_ALLOWED_NETWORKS", "list"),
    "METRICS_TOKEN": ("METRICS_TOKEN", "str"),
})

# LOG_FORMAT=json: one JSON object per line (health.request_log.JsonFormatter); "text" for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "health.request_log.RequestIdFilter"},
                "task": {"()": "health.task_log.TaskContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "health.request_log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id", "task"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
