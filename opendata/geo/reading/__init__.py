"""Opening and validating an uploaded vector file, then reading it feature by feature in
WGS 84 (EPSG:4326, x = lon, y = lat).

Formats (`geo_kind_detect`): GeoJSON (`.geojson`, or `.json` whose resource format is
GeoJSON), CSV (`.csv` with `lon`/`lat`, `lng`/`lat`, `longitude`/`latitude` or `x`/`y`
columns, or a WKT column `wkt`/`geometry`/`geom`/`the_geom`), zipped Shapefile (`.zip`
containing a `.shp`) and GeoPackage (`.gpkg`). GeoJSON, Shapefile and GeoPackage are read
with Django's GDAL bindings through `geodata.readers`, shared with the jurisdiction-layer
importer (ZIP handling, SRS identification, the GeoJSON `crs` check, field values); CSV is parsed here, streaming.

What is checked, before or while features are read (the caller writes nothing unless the
whole file passes):
- the file is readable, not empty, of the format its name says, and has features;
- the CRS is known as an EPSG code: declared by the file (GeoJSON without `crs` is OGC:CRS84,
  RFC 7946; a Shapefile needs its `.prj`), or given as `srid` (an integer EPSG code, from the
  resource field `srid`); CSV is WGS 84 unless `srid` is given;
- all geometries are of one kind (points, lines or polygons; single and multi parts may mix,
  e.g. Polygon and MultiPolygon), none is missing or empty; Z and M values are dropped;
- every coordinate is finite and within ±180° / ±90° after the transformation;
- text is UTF-8 (GeoJSON, CSV; GeoPackage is UTF-8 by definition). Shapefile attributes are
  decoded as their `.cpg` declares (GDAL recodes to UTF-8), else as the DBF's code page, else
  as UTF-8 if the DBF is valid UTF-8 and otherwise as ISO-8859-1 (Latin-1, the usual legacy
  encoding); stored properties are always UTF-8 JSON.

Invalid polygons are kept as they are (the publisher's data is not altered).
Memory does not grow with the file: the GeoJSON pre-check (`geojson`: JSON, nesting depth,
`crs` member) streams the file, GDAL's GeoJSON driver streams FeatureCollections, CSV is
parsed line by line, and features are written in batches.

Modules, one concept each: `formats` (which format an upload is, and opening it with the
right reader), `files` (`GeoFile`, `GeoFeature`), `geometry` (CRS, transformation to WGS 84
and the per-geometry checks), `ogr` (GeoJSON, Shapefile, GeoPackage through GDAL), `csvfile`
(CSV), `geojson` (the streaming pre-check of a GeoJSON file) and `encoding` (the UTF-8 check and
Shapefile attribute encodings).
"""
from .csvfile import CSV_WKT_COLUMNS, CSV_XY_COLUMNS  # noqa: F401 - public module constants, importable as before
from .files import GEO_KINDS, GeoFeature, GeoFile
from .formats import geo_file_open, geo_kind_detect

__all__ = ["GEO_KINDS", "GeoFeature", "GeoFile", "geo_file_open", "geo_kind_detect"]
