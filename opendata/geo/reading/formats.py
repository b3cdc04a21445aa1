"""Format dispatch: which vector format an upload is (`geo_kind_detect`, by file name and
resource format) and opening it with the reader for that format (`geo_file_open`)."""
from pathlib import Path

from django.utils.translation import gettext as _

from ..errors import GeoIngestError
from .csvfile import _csv_open
from .files import GeoFile
from .geometry import _srs_for
from .ogr import _ogr_open

__all__ = ["geo_kind_detect", "geo_file_open"]


def geo_kind_detect(*, filename: str, format: str = "") -> str | None:
    """The vector format of an upload by its file name ("geojson", "csv", "shapefile",
    "gpkg"), or None for files that are not read as geodata."""
    suffix = Path(filename or "").suffix.lower()
    fmt = (format or "").strip().lower()
    if suffix == ".geojson" or (suffix == ".json" and fmt == "geojson"):
        return "geojson"
    return {".csv": "csv", ".zip": "shapefile", ".gpkg": "gpkg"}.get(suffix)


def geo_file_open(*, path: str | Path, kind: str, srid: int | None = None, layer: str | None = None) -> GeoFile | None:
    """Open `path` as `kind` and check what can be checked before reading features.

    `srid` (integer EPSG code) overrides the file's CRS; `layer` chooses a GeoPackage layer.
    Returns None for a CSV without coordinate columns or a ZIP without a Shapefile (not
    geodata). Raises GeoIngestError for a bad file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GeoIngestError(_("Die Datei kann nicht gelesen werden: %(error)s") % {"error": exc.strerror}) from exc
    if size == 0:
        raise GeoIngestError(_("Die Datei ist leer."))
    override = _srs_for(srid) if srid is not None else None
    if kind == "csv":
        return _csv_open(path, srid=srid, override=override)
    return _ogr_open(path, kind=kind, srid=srid, override=override, layer=layer)
