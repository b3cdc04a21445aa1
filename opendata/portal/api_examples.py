"""Ready-to-copy `curl` command lines for a dataset page: its metadata through the CKAN
Action API (`package_show`), each resource's download, the DCAT-AP description (Turtle)
and, for resources read into PostGIS, their features through OGC API – Features
(collection `resource-<uuid>`).

URLs are absolute with `settings.SITE_URL`, the same base the Action API uses for
download URLs. Arguments are shell-quoted (`shlex.quote`), so a line can be pasted as it
is. A private dataset's lines carry an `Authorization` header placeholder: without a
member's API token the API answers 403/404.
"""
import shlex
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ..dictization import resource_download_url
from ..models import Dataset, Resource
from ..templatetags.opendata_portal import web_url

__all__ = ["ApiExample", "api_examples_build", "dcat_url", "ogc_collection_id"]

TOKEN_PLACEHOLDER = "<API-TOKEN>"
# Download lines for at most this many resources (the page lists all downloads anyway).
DOWNLOAD_EXAMPLES_MAX = 5


@dataclass
class ApiExample:
    label: str
    command: str


def ogc_collection_id(resource: Resource) -> str:
    """The OGC API – Features collection id of an ingested resource."""
    return f"resource-{resource.id}"


def dcat_url(dataset: Dataset, suffix: str) -> str:
    """Path of the dataset's DCAT description: `/dataset/<name>.ttl` (`.rdf`, `.jsonld`)."""
    return reverse("portal:dataset", kwargs={"name": dataset.name}) + suffix


def _curl(url: str, *options: str, private: bool = False) -> str:
    parts = ["curl", *options]
    if private:
        parts += ["-H", f"Authorization: {TOKEN_PLACEHOLDER}"]
    return " ".join(shlex.quote(part) for part in [*parts, url])


def api_examples_build(*, dataset: Dataset, resources: list[Resource], ingested: list[Resource]) -> list[ApiExample]:
    """The example lines for the dataset page, in the order they are shown."""
    site = settings.SITE_URL
    private = dataset.private
    package_show = reverse("ckan-action", kwargs={"api_version": "3", "name": "package_show"})
    examples = [ApiExample(
        _("Metadaten über die CKAN-API (package_show)"),
        _curl(f"{site}{package_show}?{urlencode({'id': dataset.name})}", private=private),
    )]
    for resource in resources[:DOWNLOAD_EXAMPLES_MAX]:
        url = resource_download_url(resource) if resource.url_type == Resource.UrlType.UPLOAD else web_url(resource.url)
        if url:
            examples.append(ApiExample(
                _("Download: %(name)s") % {"name": resource.name or resource.format or str(resource.id)},
                _curl(url, "-L", "-O", "-J", private=private and resource.url_type == Resource.UrlType.UPLOAD),
            ))
    examples.append(ApiExample(_("DCAT-AP-Beschreibung (Turtle)"), _curl(site + dcat_url(dataset, ".ttl"),
                                                                         private=private)))
    for resource in ingested:
        examples.append(ApiExample(
            _("Geoobjekte über OGC API – Features: %(name)s") % {"name": resource.name or str(resource.id)},
            _curl(f"{site}/ogc/collections/{ogc_collection_id(resource)}/items?limit=10",
                  "-H", "Accept: application/geo+json", private=private),
        ))
    return examples
