"""URLs of the portal pages, CKAN's paths.

`/dataset/<name>` must leave `/dataset/<name>.ttl|.rdf|.jsonld` (the DCAT views) alone:
the converter only matches CKAN names and ids (letters, digits, "-", "_"), which never
contain a dot, so a name with a format suffix falls through to the next URL pattern.
"""
from django.urls import path, register_converter

from . import views

app_name = "portal"


class CatalogueNameConverter:
    """A CKAN name or UUID: `[A-Za-z0-9_-]+` (upper case for ids written in capitals); no
    dot, so `<name>.ttl`, `<name>.rdf` and `<name>.jsonld` are not matched."""

    regex = r"[A-Za-z0-9_\-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(CatalogueNameConverter, "catalogue_name")

urlpatterns = [
    path("dataset/", views.dataset_search, name="dataset-search"),
    path("dataset/<catalogue_name:name>", views.dataset_detail, name="dataset"),
    path("organization/", views.organization_list, name="organization-list"),
    path("organization/<catalogue_name:name>", views.organization_detail, name="organization"),
    path("group/", views.group_list, name="group-list"),
    path("group/<catalogue_name:name>", views.group_detail, name="group"),
]
