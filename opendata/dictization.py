"""Catalogue objects as CKAN 2.10 dictionaries (ckan/lib/dictization/model_dictize.py).

Field names, types and formats are CKAN's, so clients written for CKAN read them
unchanged: UUID strings for ids; timestamps as naive UTC ISO 8601 with microseconds
("2024-05-02T10:11:12.123456", what CKAN's `datetime.isoformat()` writes); unset
optional text as null; tags, groups and extras sorted by name/key; extras as
{"key", "value"} string pairs. The DCAT-AP.de columns appear as the extras
ckanext-spatial and ckanext-dcatde use: `spatial` (a GeoJSON geometry string),
`temporal_start`, `temporal_end`, `frequency` (EU authority URI) and `contributorID`
(a JSON list string).

The functions expect querysets from `opendata.selectors` (tags, groups and resources
prefetched, the organisation joined): no queries are made here.
"""
import json
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from .licenses import license_get
from .models import Dataset, Group, Organization, Resource, Tag
from .vocabularies import frequency_uri

__all__ = [
    "SPECIAL_EXTRAS", "dataset_dictize", "group_dictize", "isoformat", "organization_dictize",
    "resource_dictize", "resource_download_url", "tag_dictize",
]

# Extras backed by dataset columns (see models.Dataset).
SPECIAL_EXTRAS = ("spatial", "temporal_start", "temporal_end", "frequency", "contributorID")
# GeoJSON coordinates in EPSG:4326 with 7 decimals: about 1 cm, keeps extras short.
GEOJSON_PRECISION = 7


def isoformat(value: datetime | None) -> str | None:
    """A timestamp as CKAN writes it: naive UTC, ISO 8601."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def _or_none(value: str):
    return value if value else None


def resource_download_url(resource: Resource) -> str:
    """Absolute URL of an uploaded resource: CKAN's /dataset/<id>/resource/<rid>/download/<file>."""
    path = reverse("opendata-resource-download", kwargs={
        "dataset_id": resource.package_id, "resource_id": resource.id, "filename": resource.filename or "file"})
    return settings.SITE_URL + path


def resource_dictize(resource: Resource) -> dict:
    is_upload = resource.url_type == Resource.UrlType.UPLOAD
    data = {
        "cache_last_updated": None,
        "cache_url": None,
        "created": isoformat(resource.created),
        "description": resource.description,
        "format": resource.format,
        "hash": resource.hash,
        "id": str(resource.id),
        "last_modified": isoformat(resource.last_modified),
        "metadata_modified": isoformat(resource.metadata_modified),
        "mimetype": _or_none(resource.mimetype),
        "mimetype_inner": None,
        "name": resource.name,
        "package_id": str(resource.package_id),
        "position": resource.position,
        "resource_type": _or_none(resource.resource_type),
        "size": resource.size,
        "state": "active",
        "url": resource_download_url(resource) if is_upload else resource.url,
        "url_type": "upload" if is_upload else None,
    }
    # Unknown fields a client sent are kept and returned flat, as CKAN does.
    for key, value in (resource.extras or {}).items():
        data.setdefault(key, value)
    return data


def organization_dictize(org: Organization, *, package_count: int | None = None) -> dict:
    data = {
        "approval_status": "approved",
        "created": isoformat(org.created),
        "description": org.description,
        "display_name": org.title or org.name,
        "id": str(org.id),
        "image_display_url": org.image_url,
        "image_url": org.image_url,
        "is_organization": True,
        "name": org.name,
        "num_followers": 0,
        "state": "active",
        "title": org.title,
        "type": "organization",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def _organization_in_package(org: Organization) -> dict:
    """The `organization` of a package dict: the group table's columns only."""
    return {
        "approval_status": "approved",
        "created": isoformat(org.created),
        "description": org.description,
        "id": str(org.id),
        "image_url": org.image_url,
        "is_organization": True,
        "name": org.name,
        "state": "active",
        "title": org.title,
        "type": "organization",
    }


def group_dictize(group: Group, *, package_count: int | None = None) -> dict:
    data = {
        "approval_status": "approved",
        "created": isoformat(group.created),
        "description": group.description,
        "display_name": group.title or group.name,
        "id": str(group.id),
        "image_display_url": group.image_url,
        "image_url": group.image_url,
        "is_organization": False,
        "name": group.name,
        "num_followers": 0,
        "state": "active",
        "title": group.title,
        "type": "group",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def _group_in_package(group: Group) -> dict:
    return {
        "description": group.description,
        "display_name": group.title or group.name,
        "id": str(group.id),
        "image_display_url": group.image_url,
        "name": group.name,
        "title": group.title,
    }


def tag_dictize(tag: Tag) -> dict:
    return {"display_name": tag.name, "id": str(tag.id), "name": tag.name, "state": "active", "vocabulary_id": None}


def _extras(dataset: Dataset) -> list[dict]:
    extras = {key: value if isinstance(value, str) else json.dumps(value)
              for key, value in (dataset.extras or {}).items()}
    if dataset.spatial is not None:
        geometry = json.loads(dataset.spatial.json)
        extras["spatial"] = json.dumps(_rounded(geometry), separators=(", ", ": "))
    if dataset.temporal_start:
        extras["temporal_start"] = dataset.temporal_start.isoformat()
    if dataset.temporal_end:
        extras["temporal_end"] = dataset.temporal_end.isoformat()
    if dataset.frequency:
        extras["frequency"] = frequency_uri(dataset.frequency)
    if dataset.contributor_id:
        extras["contributorID"] = json.dumps([dataset.contributor_id])
    return [{"key": key, "value": extras[key]} for key in sorted(extras)]


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        return round(value, GEOJSON_PRECISION) if isinstance(value, float) else value
    return {**geometry, "coordinates": walk(geometry["coordinates"])} if "coordinates" in geometry else geometry


def dataset_dictize(dataset: Dataset) -> dict:
    """The package dict of `package_show` and `package_search` results."""
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    groups = sorted(dataset.groups.all(), key=lambda g: g.name)
    resources = sorted(dataset.resources.all(), key=lambda r: (r.position, r.created))
    license = license_get(dataset.license_id)
    data = {
        "author": _or_none(dataset.author),
        "author_email": _or_none(dataset.author_email),
        "creator_user_id": str(dataset.creator_user_id) if dataset.creator_user_id else None,
        "extras": _extras(dataset),
        "groups": [_group_in_package(g) for g in groups],
        "id": str(dataset.id),
        "isopen": bool(license and license.is_open),
        "license_id": _or_none(dataset.license_id),
        "license_title": license.title if license else _or_none(dataset.license_id),
        "maintainer": _or_none(dataset.maintainer),
        "maintainer_email": _or_none(dataset.maintainer_email),
        "metadata_created": isoformat(dataset.metadata_created),
        "metadata_modified": isoformat(dataset.metadata_modified),
        "name": dataset.name,
        "notes": _or_none(dataset.notes),
        "num_resources": len(resources),
        "num_tags": len(tags),
        "organization": _organization_in_package(dataset.owner_org),
        "owner_org": str(dataset.owner_org_id),
        "private": dataset.private,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": [resource_dictize(r) for r in resources],
        "state": dataset.state,
        "tags": [tag_dictize(t) for t in tags],
        "title": dataset.title,
        "type": "dataset",
        "url": _or_none(dataset.url),
        "version": _or_none(dataset.version),
    }
    if license and license.url:
        data["license_url"] = license.url
    return data
