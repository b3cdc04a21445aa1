"""Django settings for Stadtmelder, all overridable from the environment (config/env.py)."""
from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
# The default key only exists so `make run` works out of the box; production sets SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
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
    "accounts",
    # The demo OpenID provider's tables (accounts.demo_provider); its URLs are mounted only
    # with DEMO_OIDC_PROVIDER=true.
    "oauth2_provider",
    "geodata",
    "routing_rules",
    "notifications",
    "reporter",
    "mobile_api",
    "open311",
    "opendata",
    "frontend",
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://stadtmelder:stadtmelder@127.0.0.1:5432/stadtmelder",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Lets parallel test runs (and the benchmark) use databases of their own.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
# PostgreSQL's JIT compiles large-looking spatial queries (bbox pages over many polygons) and
# spent ~20 ms per request doing it in the OGC benchmark; our queries are short OLTP reads.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/leaflet.heat", BASE_DIR / "node_modules" / "leaflet.heat" / "dist"),
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
# Public, moderated derivatives only. Originals (with EXIF) live in PRIVATE_MEDIA_ROOT,
# which is never served.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Upload caps (photos): bytes per file and decoded pixels per image.
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stadtmelder@example.invalid")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing must not hang a web request when Redis is down: the notification outbox
# row is already committed, and beat re-queues it (notifications.tasks).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # The generated open datasets (reports, jurisdiction layers), rebuilt nightly at 03:15.
    "opendata-exports-rebuild": {
        "task": "opendata.tasks.opendata_exports_rebuild_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "notifications-requeue-stale": {
        "task": "notifications.tasks.notifications_requeue_stale",
        "schedule": timedelta(minutes=1),
    },
    "photos-process-pending": {
        "task": "reporter.tasks.photos_process_pending",
        "schedule": timedelta(minutes=5),
    },
    "reports-escalate-overdue": {
        "task": "reporter.tasks.reports_escalate_overdue_task",
        "schedule": timedelta(hours=1),
    },
    # Field-crew API: old Idempotency-Key answers and delta-sync log rows, nightly at 04:10.
    "mobile-api-prune": {
        "task": "mobile_api.tasks.mobile_api_prune_task",
        "schedule": crontab(hour=4, minute=10),
    },
    # Geodata ingests of uploaded resources left pending by a broker outage or a killed worker.
    "opendata-geo-ingests-requeue": {
        "task": "opendata.tasks.resources_geo_ingest_requeue_task",
        "schedule": timedelta(minutes=5),
    },
    # Upstream CKAN pushes left pending because the broker was down when they were queued.
    "upstream-pushes-requeue-stale": {
        "task": "opendata.tasks.upstream_pushes_requeue_stale_task",
        "schedule": timedelta(minutes=5),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request to a staff endpoint gets 401 + WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reporter.api.errors.exception_handler",
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
}

# Shared by all web workers (rate limits); Redis db 1, the broker uses db 0.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
    }
}

# Citizen pages. The default tiles are OpenStreetMap's (attribution required); pages stay
# usable when tiles cannot load (the report flow also works with address search).
FRONTEND = {
    "CITY_NAME": env.str("CITY_NAME", default="Gera (Demo)"),
    "TILE_URL": env.str("TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "TILE_ATTRIBUTION": env.str(
        "TILE_ATTRIBUTION",
        default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
    ),
    # lon, lat (WGS 84) and zoom of the initial map view
    "MAP_CENTER": env.list("MAP_CENTER", cast=float, default=[12.08, 50.88]),
    "MAP_ZOOM": env.int("MAP_ZOOM", default=13),
}

# Stadtmelder's own settings, one namespaced dict (read through `reporter.conf`).
STADTMELDER = {
    "PHOTO_MAX_BYTES": env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024),
    "PHOTO_MAX_PIXELS": env.int("PHOTO_MAX_PIXELS", default=50_000_000),
    "PHOTO_MAX_PER_REPORT": 3,
    "PHOTO_PUBLIC_MAX_EDGE": env.int("PHOTO_PUBLIC_MAX_EDGE", default=1600),
    "PHOTO_THUMB_MAX_EDGE": 320,
    "NOTIFICATION_MAX_ATTEMPTS": env.int("NOTIFICATION_MAX_ATTEMPTS", default=8),
    "WEBHOOK_TIMEOUT": env.float("WEBHOOK_TIMEOUT", default=5.0),
    "LIST_MAX_PAGE_SIZE": 1000,
    "LIST_DEFAULT_PAGE_SIZE": 200,
    "TRACKING_URL": "{site}/verfolgen/{token}/",
    # Reports one client (IP address) may file, e.g. "30/hour"; empty disables the limit.
    "REPORT_CREATE_RATE": env.str("REPORT_CREATE_RATE", default="30/hour"),
    # Federal state whose public holidays are not working days (service levels), e.g. "TH", "BY".
    "HOLIDAY_STATE": env.str("HOLIDAY_STATE", default="TH"),
    # Decimal places of every public coordinate (map, APIs, downloads, OGC, Open311): 4 ≈ 10 m.
    # OPENDATA_LOCATION_DECIMALS is its former name (downloads only), still read as a fallback.
    "PUBLIC_COORDINATE_DECIMALS": env.int("PUBLIC_COORDINATE_DECIMALS",
                                          default=env.int("OPENDATA_LOCATION_DECIMALS", default=4)),
}

# Citizen account (read through `accounts.conf`, defaults there): the identity broker's OpenID
# Connect client (BundID, a state's Servicekonto); login with OIDC is off while OIDC_ISSUER is empty.
ACCOUNTS = {
    "OIDC_ISSUER": env.str("OIDC_ISSUER", default="").rstrip("/"),
    "OIDC_CLIENT_ID": env.str("OIDC_CLIENT_ID", default=""),
    "OIDC_CLIENT_SECRET": env.str("OIDC_CLIENT_SECRET", default=""),
    # `acr` claim -> trust level (BundID's STORK QAA levels); e.g. OIDC_ACR_TRUST_LEVELS=
    # "urn:a=basisregistrierung,urn:b=substanziell,urn:c=hoch" for another broker.
    "ACR_TRUST_LEVELS": env.dict("OIDC_ACR_TRUST_LEVELS", default={
        "STORK-QAA-Level-1": "basisregistrierung",
        "STORK-QAA-Level-2": "basisregistrierung",
        "STORK-QAA-Level-3": "substanziell",
        "STORK-QAA-Level-4": "hoch",
    }),
    "EMAIL_LOGIN_RATE": env.str("ACCOUNTS_EMAIL_LOGIN_RATE", default="5/hour"),
}
CELERY_BEAT_SCHEDULE["accounts-email-login-tokens-prune"] = {
    "task": "accounts.tasks.email_login_tokens_prune_task",
    "schedule": timedelta(hours=1),
}
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

# Open data catalogue settings (read through `opendata.conf`, defaults there). Pushing to an
# upstream CKAN (a state portal) is off while CKAN_UPSTREAM_URL is empty.
OPENDATA = {
    "UPSTREAM_URL": env.str("CKAN_UPSTREAM_URL", default=""),
    "UPSTREAM_API_KEY": env.str("CKAN_UPSTREAM_API_KEY", default=""),
    "UPSTREAM_OWNER_ORG": env.str("CKAN_UPSTREAM_OWNER_ORG", default=""),
    "UPSTREAM_NAME_PREFIX": env.str("CKAN_UPSTREAM_NAME_PREFIX", default=""),
    "UPSTREAM_ORGANIZATIONS": env.list("CKAN_UPSTREAM_ORGANIZATIONS", default=[]),
    # Generated datasets (opendata.exports): the publishing organisation and the DCAT-AP.de
    # contributorID. (Their coordinates are rounded by STADTMELDER["PUBLIC_COORDINATE_DECIMALS"].)
    "CITY_ORGANIZATION": env.str("OPENDATA_CITY_ORGANIZATION", default="stadt"),
    "CONTRIBUTOR_ID": env.str("OPENDATA_CONTRIBUTOR_ID", default=""),
}

# GDAL 3.6 triggers gis.W001 (Django 5.2 wants >= 3.7 for some features); we use GDAL only
# for trusted EPSG codes and file reading, never with user-supplied SRS text.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
