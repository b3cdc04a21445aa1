"""Stadtmelder's namespaced settings (`settings.STADTMELDER`) with defaults, like DRF's api_settings."""
from config.app_settings import AppSettings

__all__ = ["stadtmelder_setting"]

DEFAULTS = {
    "PHOTO_MAX_BYTES": 15 * 1024 * 1024,
    "PHOTO_MAX_PIXELS": 50_000_000,
    "PHOTO_MAX_PER_REPORT": 3,
    "PHOTO_PUBLIC_MAX_EDGE": 1600,
    "PHOTO_THUMB_MAX_EDGE": 320,
    "LIST_MAX_PAGE_SIZE": 1000,
    "LIST_DEFAULT_PAGE_SIZE": 200,
    # The public list counts the matching reports exactly up to this many; beyond it the API
    # says "more than" (numberMatchedAtLeast) instead of counting every row (reporter.selectors).
    "LIST_COUNT_MAX": 10_000,
    "REPORT_CREATE_RATE": "30/hour",
    # Where a reporter follows a report; {site} and {token} are filled in.
    "TRACKING_URL": "{site}/verfolgen/{token}/",
    "STAFF_URL": "{site}/sachbearbeitung/meldungen/{id}/",
    # Federal state (ISO 3166-2:DE code without "DE-") whose public holidays are not working days.
    "HOLIDAY_STATE": "TH",
    # Decimal places of every public coordinate, WGS 84 degrees (reporter.public): 4 ≈ 7 m × 11 m
    # at 51° N. Staff and crews see the exact point.
    "PUBLIC_COORDINATE_DECIMALS": 4,
}


stadtmelder_setting = AppSettings("STADTMELDER", DEFAULTS)
