"""The one error a geodata ingest raises: its message is user-facing German text saying
what is wrong with the file and, where possible, what to do about it."""
from config.errors import ServiceError

__all__ = ["GeoIngestError"]


class GeoIngestError(ServiceError):
    """The file was refused; nothing was written. `str(exc)` is the message for the user."""

    code = "geo_ingest_refused"
