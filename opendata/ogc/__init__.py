"""OGC API – Features (Part 1: Core, GeoJSON, HTML, OpenAPI 3.0) at `/ogc/`: the public
reports, the jurisdiction layers and the ingested vector resources of public datasets as
feature collections, readable by GDAL/QGIS, OWSLib and browsers."""
