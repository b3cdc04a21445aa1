"""The errors of an OGC API request the service answers itself, as OGC exceptions
`{"code", "description"}` (`http.error_response`): a bad query parameter, raised by the
parsers (`params`, `crs`, `filters`), with status 400; an unknown collection, feature, tile
matrix set or tile with status 404."""
from config.errors import ServiceError

__all__ = ["NotFound", "OgcError", "OgcParamError"]


class OgcError(ServiceError):
    """An error with an OGC exception code (`code`) and the text for the client."""

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


class OgcParamError(OgcError):
    """An invalid query parameter: answered with 400 and `{"code", "description"}`."""

    status = 400
    code = "InvalidParameterValue"


class NotFound(OgcError):
    """An unknown collection, feature, tile matrix set or tile: 404."""

    status = 404
    code = "NotFound"
