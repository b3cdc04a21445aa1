"""URLs of the DCAT-AP.de catalogue (ckanext-dcat's paths)."""
from django.urls import path, re_path

from . import views

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|xml|jsonld)$", views.catalog_view, name="dcat-catalog"),
    path("catalog", views.catalog_negotiated, name="dcat-catalog-negotiated"),
    re_path(r"^dataset/(?P<name>[a-z0-9_\-]{2,100})\.(?P<fmt>ttl|rdf|xml|jsonld)$", views.dataset_view,
            name="dcat-dataset"),
]
