"""The catalogue's error types, one per CKAN error object (ckan/views/api.py).

Services and selectors raise them; the Action API turns each into CKAN's JSON error and
status code: NotFound → 404 "Not Found Error", NotAuthorized → 403 "Authorization Error",
ValidationError → 409 "Validation Error" (field → messages), SearchQueryError → 400
"Search Query Error". Messages are CKAN's English texts, because clients compare them.
All are `config.errors.ServiceError`s; `opendata.api.views.error_response` is the one place
that turns any ServiceError into CKAN's error document.
"""

from config.errors import ServiceError

__all__ = ["CatalogueError", "NotAuthorized", "NotFound", "SearchQueryError", "ValidationError"]


class CatalogueError(ServiceError):
    """Base class; `status` is the HTTP status the Action API answers with, `type_name`
    CKAN's `__type`."""

    status = 500
    code = "server_error"
    type_name = "Internal Server Error"

    def __init__(self, message: str = ""):
        super().__init__(message)


class NotFound(CatalogueError):
    status = 404
    code = "not_found"
    type_name = "Not Found Error"


class NotAuthorized(CatalogueError):
    status = 403
    code = "forbidden"
    type_name = "Authorization Error"


class SearchQueryError(CatalogueError):
    status = 400
    code = "search_query_invalid"
    type_name = "Search Query Error"


class ValidationError(CatalogueError):
    """`errors` maps field names to lists of messages; list fields (tags, resources,
    extras) map to a list with one error dict per item, `{}` for valid items, as CKAN does."""

    status = 409
    code = "invalid"
    type_name = "Validation Error"

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(str(errors))

    def body_extra(self) -> dict:
        return {"errors": self.errors}
