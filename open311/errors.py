"""The Open311 error: a list of `{code, description}` with the HTTP status of the first.

GeoReport v2 answers every error with the same document, `[{"code": 400, "description":
"…"}]` (XML: `<errors><error><code>…</code><description>…</description></error></errors>`),
and one request may carry several errors (every bad field of a POST at once).
`open311.views.error_response` turns any `config.errors.ServiceError` into that document.
"""
from config.errors import ServiceError

__all__ = ["Open311Error"]


class Open311Error(ServiceError):
    """One or more errors; `errors` is a list of (HTTP status, description); the first
    error's status is the answer's."""

    code = "open311_error"

    def __init__(self, *errors: tuple[int, str]):
        if not errors:
            raise ValueError("Open311Error needs at least one error")
        self.errors = [(int(code), str(description)) for code, description in errors]
        super().__init__(self.errors[0][1], status=self.errors[0][0])
