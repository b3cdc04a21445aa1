"""The namespaced settings of `cases` (`settings.CASES`) with defaults."""
from django.conf import settings

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


def cases_setting(name: str):
    """The value of CASES[name], falling back to the default."""
    return getattr(settings, "CASES", {}).get(name, DEFAULTS[name])
