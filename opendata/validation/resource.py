"""CKAN's resource schema: a resource dict (JSON or multipart form) → `ResourceInput`.

A resource is an upload (the `upload` field carries a file; URL, size and SHA-256 are
ours) or a link (`url` required). An existing upload is kept when the dict still says
`url_type: "upload"` (what package_show returned) and no new file is sent; a new `url`
with another `url_type`, or `clear_upload`, turns it into a link. Keys that are not
resource fields are kept as resource extras and returned flat, as CKAN does.
"""
from dataclasses import dataclass, field
from datetime import datetime

from ..conf import opendata_setting
from ..models import Resource
from . import fields as f

__all__ = ["ResourceInput", "resource_input_validate"]

CORE = {"id", "url", "name", "description", "format", "mimetype", "size", "hash", "last_modified",
        "resource_type", "url_type", "upload", "clear_upload"}
# Computed or read-only keys of a resource dict; ignored on input.
READ_ONLY = {"package_id", "position", "created", "metadata_modified", "state", "cache_url",
             "cache_last_updated", "mimetype_inner", "datastore_active", "tracking_summary", "revision_id",
             "datastore_contains_all_records_of_source", "on_same_domain", "has_views", "original_url"}


@dataclass
class ResourceInput:
    id: object = None
    name: str = ""
    description: str = ""
    url: str = ""
    format: str = ""
    mimetype: str = ""
    size: int | None = None
    hash: str = ""
    last_modified: datetime | None = None
    resource_type: str = ""
    extras: dict = field(default_factory=dict)
    # A new file, or True-ish `keep_upload` to keep the existing one.
    upload: object = None
    keep_upload: bool = False

    @property
    def is_upload(self) -> bool:
        return self.upload is not None or self.keep_upload


def _is_file(value) -> bool:
    return hasattr(value, "read") and hasattr(value, "name")


def resource_input_validate(*, data: dict, existing: Resource | None) -> tuple[ResourceInput | None, dict]:
    """Validate one resource dict; returns (input, {}) or (None, {field: [messages]})."""
    errors: dict = {}
    clean = ResourceInput()

    def take(key, validator, **kwargs):
        try:
            return validator(data.get(key), **kwargs)
        except f.Invalid as exc:
            errors.setdefault(key, []).append(exc.message)
            return None

    if not isinstance(data, dict):
        return None, {"__all__": ["Resource must be a dictionary"]}
    clean.id = data.get("id") or None
    clean.name = take("name", f.string, max_length=1000, label="Name") or ""
    clean.description = take("description", f.string) or ""
    clean.format = take("format", f.string, max_length=100, label="Format") or ""
    clean.mimetype = take("mimetype", f.string, max_length=200, label="Mimetype") or ""
    clean.hash = take("hash", f.string, max_length=200, label="Hash") or ""
    clean.resource_type = take("resource_type", f.string, max_length=100, label="Resource type") or ""
    clean.size = take("size", f.integer, minimum=0)
    clean.last_modified = take("last_modified", f.datetime_value)
    url = take("url", f.string, max_length=2000, label="URL") or ""
    url_type = f.string(data.get("url_type")) if isinstance(data.get("url_type"), str) else ""
    upload = data.get("upload")

    if _is_file(upload):
        if upload.size is not None and upload.size > opendata_setting("UPLOAD_MAX_BYTES"):
            errors.setdefault("upload", []).append("File upload too large")
        clean.upload = upload
        clean.format = clean.format or f.format_guess(upload.name)
        content_type = getattr(upload, "content_type", "") or ""
        if not clean.mimetype:
            guessed = f.mimetype_guess(upload.name)
            clean.mimetype = guessed or ("" if content_type == "application/octet-stream" else content_type)
    elif (existing is not None and existing.url_type == Resource.UrlType.UPLOAD and url_type == "upload"
          and not f.boolean(data.get("clear_upload"))):
        clean.keep_upload = True
        clean.format = clean.format or f.format_guess(existing.filename)
        clean.mimetype = clean.mimetype or f.mimetype_guess(existing.filename)
    else:
        if not url:
            errors.setdefault("url", []).append(f.MISSING)
        clean.url = url
        if existing is None or existing.url != url:
            clean.format = clean.format or f.format_guess(url)
            clean.mimetype = clean.mimetype or f.mimetype_guess(url)

    for key, value in data.items():
        if key in CORE or key in READ_ONLY:
            continue
        if not isinstance(key, str) or not key:
            errors.setdefault("__extras", []).append("Keys must be non-empty strings")
            continue
        clean.extras[key] = value
    return (None, errors) if errors else (clean, {})
