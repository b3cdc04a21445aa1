"""Geodata uploads: an uploaded vector file (GeoJSON, CSV with coordinates, zipped
Shapefile, GeoPackage) is validated and read into `ResourceFeature` rows in WGS 84, and
the result is recorded in `Resource.geo_ingest`.

- `opendata.geo.reading`: opening and validating a file, feature by feature (builds on
  `geodata.readers`, the GDAL reading API shared with the layer importer);
- `opendata.geo.services`: the all-or-nothing ingest of one resource (`geo_ingest_run`), the
  hook that queues it after an upload is stored (`geo_ingest_queue`) and beat's re-queue of
  ingests whose task was lost (`geo_ingests_requeue_stale`);
- `opendata.geo.selectors`: the feature and attribute-row reads behind both previews;
- `opendata.geo.preview`: the admin's map (MapLibre) and attribute-table preview (its cell
  formatting is shared with the portal's dataset page, `opendata.portal.preview`);
- `opendata.geo.admin`: the admin mixin showing ingest result and preview.
"""
