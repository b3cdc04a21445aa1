"""Settings of the eforms app (`settings.EFORMS`, a namespaced dict) with defaults.

`UPLOAD_MAX_BYTES`: the upper bound of any file field's `max_bytes` (bytes).
`UPLOAD_STORAGE`: the storage alias (settings.STORAGES) that keeps submitted files; private.
`PDF_MAX_INFLATED_BYTES`: how many bytes of compressed PDF streams are inflated at most per
stream when looking for active content (a cap against decompression bombs).
"""
from config.app_settings import AppSettings

__all__ = ["eforms_setting"]

DEFAULTS = {
    "UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    "UPLOAD_STORAGE": "private",
    "PDF_MAX_INFLATED_BYTES": 10 * 1024 * 1024,
}


eforms_setting = AppSettings("EFORMS", DEFAULTS)
