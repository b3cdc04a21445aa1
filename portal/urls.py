"""URLs of the portal core: the service catalogue page, its downloads and its API."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("leistungen/", views.catalogue, name="service-catalogue"),
    path("leistungen.json", views.catalogue_download, {"fmt": "json"}, name="service-catalogue-json"),
    path("leistungen.csv", views.catalogue_download, {"fmt": "csv"}, name="service-catalogue-csv"),
    path("api/v1/services/", api.ServiceListView.as_view(), name="api-services"),
]
