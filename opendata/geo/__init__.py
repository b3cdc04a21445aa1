"""Geodata uploads: an uploaded vector file (GeoJSON, CSV with coordinates, zipped
Shapefile, GeoPackage) is validated and read into `ResourceFeature` rows in WGS 84, and
the result is recorded in `Resource.geo_ingest`.

- `opendata.geo.reading`: opening and validating a file, feature by feature (reuses the
  GDAL reading helpers of `geodata.importers`);
- `opendata.geo.services`: the all-or-nothing ingest of one resource (`geo_ingest_run`) and
  the hook that queues it after an upload is stored (`geo_ingest_queue`);
- `opendata.geo.preview`: the map and attribute-table preview (admin, portal);
- `opendata.geo.admin`: the admin mixin showing ingest result and preview.
"""
