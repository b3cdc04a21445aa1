"""URLs of the OGC API – Features service, mounted at `/ogc/` (the fixed contract).

The paths are those of OGC 17-069r4 (Part 1: Core); no trailing slashes except the landing
page's.
"""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("api", views.api, name="ogc-api"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", views.collection, name="ogc-collection"),
    path("collections/<str:collection_id>/items", views.items, name="ogc-items"),
    path("collections/<str:collection_id>/queryables", views.queryables, name="ogc-queryables"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="ogc-item"),
]
