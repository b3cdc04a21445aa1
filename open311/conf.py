"""Open311 settings (`settings.OPEN311`, optional) with their defaults, like DRF's api_settings."""
from config.app_settings import AppSettings

__all__ = ["open311_setting", "SPECIFICATION_URL"]

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"

DEFAULTS = {
    # Service Discovery `changeset` while there are no categories; otherwise it is the newest
    # `Category.updated_at` (when the service list or a service definition last changed).
    "CHANGESET": "2026-12-01T00:00:00Z",
    # Service Discovery `contact` and `key_service`; empty: a German text built from
    # FRONTEND["CITY_NAME"] and DEFAULT_FROM_EMAIL.
    "CONTACT": "",
    "KEY_SERVICE": "",
    # GET requests: at most this many requests per page (the spec's suggestion), and the
    # longest date range (days) — also the default window ending now.
    "MAX_REQUESTS": 1000,
    "MAX_DAYS": 90,
    # Largest `radius` (metres) of the lat/long/radius extension.
    "MAX_RADIUS_M": 50_000,
    # `service_notice` of a service request, by service_code (category slug); a service
    # without an entry says its target time (Category.sla_days).
    "SERVICE_NOTICES": {},
}


open311_setting = AppSettings("OPEN311", DEFAULTS)
