"""Mapbox Vector Tiles of the OGC API collections, served as OGC API – Tiles (OGC 20-057)
in the WebMercatorQuad tile matrix set, with a TileJSON 3.0 document for map clients.

One concept per module: `matrix` (the tile matrix set and tile addresses), `selectors`
(tiles rendered by PostGIS), `aggregates` (the pre-aggregated report counts of low zooms),
`versions` (the sources, which carry a version and where it is kept), `caching` (which ETag a
tile gets, Cache-Control), `documents` (tilesets, tileset metadata, TileJSON), `openapi` (the
tile paths of `/ogc/api`), `views` (HTTP), `tasks` and `receivers` (keeping the aggregates
fresh).
"""
