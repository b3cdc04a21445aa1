"""Datasets the platform generates itself and keeps up to date: the anonymised public reports
(`meldungen`) and one dataset per jurisdiction layer (`zustaendigkeit-<layer slug>`), each as
GeoJSON, CSV and GeoPackage, streamed from PostGIS.

- `opendata.exports.conf`: settings (`OPENDATA[...]`) with defaults;
- `opendata.exports.sources`: what is exported, as SQL (the only place that names columns);
- `opendata.exports.writers`: streaming writers (COPY for GeoJSON/CSV, ogr2ogr for GeoPackage);
- `opendata.exports.services`: `exports_rebuild`, writing files atomically and updating the
  catalogue rows.
"""
