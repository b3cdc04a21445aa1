"""The namespaced settings of `cases` (`settings.CASES`) with defaults."""
from config.app_settings import AppSettings

__all__ = ["cases_setting"]

DEFAULTS = {
    # Bytes per attachment and attachments per upload (a message or a new case).
    "ATTACHMENT_MAX_BYTES": 15 * 1024 * 1024,
    "ATTACHMENT_MAX_PER_UPLOAD": 5,
    # Where a citizen follows a case and where a clerk works on it; {site}, {token}, {id}.
    "TRACKING_URL": "{site}/vorgang/{token}/",
    "STAFF_URL": "{site}/sachbearbeitung/vorgaenge/{id}/",
    "LIST_PAGE_SIZE": 50,
}


cases_setting = AppSettings("CASES", DEFAULTS)
