"""URLs of the open data app: the CKAN Action API and resource downloads. OGC API
(`opendata.ogc.urls`) is included under `/ogc/` first of all in `config.urls`."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("opendata.api.urls")),
    path("", include("opendata.dcat.urls")),
    path("dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download/<str:filename>",
         views.resource_download, name="opendata-resource-download"),
    path("dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download",
         views.resource_download, name="opendata-resource-download-bare"),
    path("", include("opendata.portal.urls")),
]
