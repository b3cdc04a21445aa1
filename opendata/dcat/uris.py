"""URIs of the catalogue's RDF nodes and the pages they describe.

Nodes get the URIs ckanext-dcat gives them, so a harvester sees the same identity as for
a CKAN portal: the catalogue is the site, a dataset is `/dataset/<id>` (stable across
renames), a distribution `/dataset/<id>/resource/<resource id>`, a publisher
`/organization/<id>`. The landing page (dcat:landingPage) is the human-readable page
`/dataset/<name>`. All absolute, from `settings.SITE_URL`.
"""
from django.conf import settings

__all__ = [
    "catalog_uri", "dataset_landing_page_url", "dataset_uri", "distribution_uri", "organization_uri",
]


def catalog_uri() -> str:
    return settings.SITE_URL + "/"


def dataset_uri(dataset) -> str:
    return f"{settings.SITE_URL}/dataset/{dataset.pk}"


def dataset_landing_page_url(dataset) -> str:
    """The dataset's web page (built by the portal pages)."""
    return f"{settings.SITE_URL}/dataset/{dataset.name}"


def distribution_uri(resource) -> str:
    return f"{settings.SITE_URL}/dataset/{resource.package_id}/resource/{resource.pk}"


def organization_uri(org) -> str:
    return f"{settings.SITE_URL}/organization/{org.pk}"
