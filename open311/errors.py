"""The Open311 error: a list of `{code, description}` with the HTTP status of the first.

GeoReport v2 answers every error with the same document, `[{"code": 400, "description":
"…"}]` (XML: `<errors><error><code>…</code><description>…</description></error></errors>`),
and one request may carry several errors (every bad field of a POST at once).
"""
__all__ = ["Open311Error"]


class Open311Error(Exception):
    """One or more errors; `errors` is a list of (HTTP status, description)."""

    def __init__(self, *errors: tuple[int, str]):
        if not errors:
            raise ValueError("Open311Error needs at least one error")
        self.errors = [(int(code), str(description)) for code, description in errors]
        super().__init__(self.errors)

    @property
    def status(self) -> int:
        return self.errors[0][0]
