"""URLs of the OGC API – Features service, mounted at `/ogc/` (the fixed contract).

The paths are those of OGC 17-069r4 (Part 1: Core) and OGC 20-057 (Tiles); no trailing
slashes except the landing page's.
"""
from django.urls import path

from . import views
from .tiles import views as tiles

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("api", views.api, name="ogc-api"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", views.collection, name="ogc-collection"),
    path("collections/<str:collection_id>/items", views.items, name="ogc-items"),
    path("collections/<str:collection_id>/queryables", views.queryables, name="ogc-queryables"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="ogc-item"),
    path("tileMatrixSets", tiles.tile_matrix_sets, name="ogc-tile-matrix-sets"),
    path("tileMatrixSets/<str:tms>", tiles.tile_matrix_set_detail, name="ogc-tile-matrix-set"),
    path("collections/<str:collection_id>/tiles", tiles.tilesets, name="ogc-tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms>", tiles.tileset, name="ogc-tileset"),
    path("collections/<str:collection_id>/tiles/<str:tms>/<str:z>/<str:y>/<str:x>", tiles.tile, name="ogc-tile"),
]
