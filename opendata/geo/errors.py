"""The one error a geodata ingest raises: its message is user-facing German text saying
what is wrong with the file and, where possible, what to do about it."""
__all__ = ["GeoIngestError"]


class GeoIngestError(Exception):
    """The file was refused; nothing was written. `str(exc)` is the message for the user."""
