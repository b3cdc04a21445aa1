"""Settings of the health app (`settings.HEALTH`, filled from the environment in
config/settings.py); every default lives here."""
from config.app_settings import AppSettings

__all__ = ["health_setting"]

DEFAULTS = {
    # Seconds one readiness check may take before it counts as failed.
    "CHECK_TIMEOUT": 2.0,
    # Client networks (CIDR, via config.client_ip) allowed to read /metrics. Empty: none —
    # /metrics is not exposed unless configured (`make run` allows the loopback).
    "METRICS_ALLOWED_NETWORKS": [],
    # A bearer token that also opens /metrics (`Authorization: Bearer <token>`); empty: none.
    "METRICS_TOKEN": "",
}

health_setting = AppSettings("HEALTH", DEFAULTS)
