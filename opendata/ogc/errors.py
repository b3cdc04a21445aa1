"""The error of a bad OGC API request parameter, raised by the parsers (`params`, `crs`,
`filters`) and answered by the views as an OGC exception with status 400."""
from config.errors import ServiceError

__all__ = ["OgcParamError"]


class OgcParamError(ServiceError):
    """An invalid query parameter: answered with 400 and `{"code", "description"}`."""

    status = 400
    code = "InvalidParameterValue"

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description
