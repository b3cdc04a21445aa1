"""Errors a basemap import can raise; the message is user-facing German text, translated when raised.

Every one is a `BasemapImportError` (a `config.errors.ServiceError`): the import was refused
and the previous basemap is unchanged.
"""
from config.errors import ServiceError

__all__ = ["BasemapImportError", "SourceMissing", "UnknownFormat", "SourceUnreadable", "LayersMissing",
           "NothingImported", "MappingInvalid"]


class BasemapImportError(ServiceError):
    """Base class: the import was refused and the previous basemap is unchanged."""

    code = "basemap_import_refused"


class SourceMissing(BasemapImportError):
    """The path does not exist or is not a regular file."""


class UnknownFormat(BasemapImportError):
    """Neither an OpenStreetMap extract (.osm.pbf) nor a GeoPackage (.gpkg)."""


class SourceUnreadable(BasemapImportError):
    """The file has the right name but its content cannot be read."""


class LayersMissing(BasemapImportError):
    """A GeoPackage has none of the layers the mapping expects."""


class NothingImported(BasemapImportError):
    """The file was read but holds no basemap feature (refused so it cannot wipe the basemap)."""


class MappingInvalid(BasemapImportError):
    """A GeoPackage layer mapping (JSON) is not of the documented shape."""
