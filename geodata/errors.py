"""Errors a jurisdiction-layer or gazetteer import can raise.

Every layer error is a `LayerImportError`, every gazetteer error a `PlaceImportError`, every
address-list error an `AddressImportError`; its
message is user-facing German text (translated with Django's i18n at the moment it is
raised) that says what is wrong and, where there is one, what to do about it. The
management commands show the message as it is. Both are `config.errors.ServiceError`s
(HTTP 400 where a web upload meets them).
"""
from config.errors import ServiceError

__all__ = [
    "LayerImportError",
    "FileUnreadable",
    "UnsupportedFormat",
    "CorruptFile",
    "UnknownSourceLayer",
    "EmptyLayer",
    "WrongGeometryType",
    "InvalidGeometry",
    "UnknownCRS",
    "ImplausibleCoordinates",
    "MissingField",
    "InvalidValue",
    "InvalidOption",
    "LayerExists",
    "PlaceImportError",
    "AddressImportError",
]


class LayerImportError(ServiceError):
    """Base class: the import was refused and nothing was written."""

    code = "layer_import_refused"


class FileUnreadable(LayerImportError):
    """The path does not exist, is not a regular file or cannot be read."""


class UnsupportedFormat(LayerImportError):
    """The file extension (or the format GDAL detected) is not one we import."""


class CorruptFile(LayerImportError):
    """GDAL cannot open the file although its extension is supported."""


class UnknownSourceLayer(LayerImportError):
    """The file has several layers and none was chosen, or the chosen one does not exist.

    `layers` lists the names to choose from, so callers with other options than
    `--source-layer` can word their own message."""

    def __init__(self, message: str, *, layers: list[str] | None = None):
        super().__init__(message)
        self.layers = layers or []


class EmptyLayer(LayerImportError):
    """The source layer has no features."""


class WrongGeometryType(LayerImportError):
    """A feature is not a Polygon or MultiPolygon."""


class InvalidGeometry(LayerImportError):
    """A feature has no geometry, an empty one, or one whose repair leaves no polygon."""


class UnknownCRS(LayerImportError):
    """The source coordinate reference system is missing, unknown or not transformable."""


class ImplausibleCoordinates(LayerImportError):
    """Coordinates do not fit the declared CRS (e.g. metres in a file that claims WGS 84)."""


class MissingField(LayerImportError):
    """A mapped attribute field (name, code, authority) is not in the source layer."""


class InvalidValue(LayerImportError):
    """A mapped attribute value does not fit its column (e.g. too long)."""


class InvalidOption(LayerImportError):
    """An import option is malformed (slug, role, SRID)."""


class LayerExists(LayerImportError):
    """The target layer exists and replacing it was not requested."""


class PlaceImportError(ServiceError):
    """A gazetteer file was refused and nothing was written; `problems` lists every reason found."""

    code = "place_import_refused"

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


class AddressImportError(Exception):
    """An address file was refused and nothing was written; `problems` lists every reason found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)
