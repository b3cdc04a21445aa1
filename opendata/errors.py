"""The catalogue's error types, one per CKAN error object (ckan/views/api.py).

Services and selectors raise them; the Action API turns each into CKAN's JSON error and
status code: NotFound → 404 "Not Found Error", NotAuthorized → 403 "Authorization Error",
ValidationError → 409 "Validation Error" (field → messages), SearchQueryError → 400
"Search Query Error". Messages are CKAN's English texts, because clients compare them.
"""

__all__ = ["CatalogueError", "NotAuthorized", "NotFound", "SearchQueryError", "ValidationError"]


class CatalogueError(Exception):
    """Base class; `status` is the HTTP status the Action API answers with."""

    status = 500
    type_name = "Internal Server Error"

    def __init__(self, message: str = ""):
        self.message = message
        super().__init__(message)


class NotFound(CatalogueError):
    status = 404
    type_name = "Not Found Error"


class NotAuthorized(CatalogueError):
    status = 403
    type_name = "Authorization Error"


class SearchQueryError(CatalogueError):
    status = 400
    type_name = "Search Query Error"


class ValidationError(CatalogueError):
    """`errors` maps field names to lists of messages; list fields (tags, resources,
    extras) map to a list with one error dict per item, `{}` for valid items, as CKAN does."""

    status = 409
    type_name = "Validation Error"

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(str(errors))
