"""Publishing a small generated dataset whose files are built in memory (a few hundred kB at
most): the OZG monitor (`ozgmonitor.dataset`) and the Sozialcard's partners and check counts
(`services.sozialcard.dataset`) use it; the big exports stream from PostGIS instead
(`opendata.exports.services`).

`small_dataset_publish` publishes like the big exports: the dataset belongs to the city's
organisation (licence dl-by-de/2.0, an EU theme, frequency, contributorID); the files are
written first, then in one transaction the dataset and resource rows are updated and each
file renamed over the old one; an unchanged file (same SHA-256) is left alone. Afterwards
`dataset_touch` refreshes `metadata_modified`, the search index (CKAN API) and the DCAT
catalogue. The caller gives titles and notes already translated (in the site's language).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from config.storage import storage_file_exists, storage_file_replace, storage_is_local

from ..conf import opendata_setting
from ..models import Dataset, Group, Resource, Tag, resource_upload_to
from ..services import dataset_touch
from ..vocabularies import DATA_THEMES
from .services import city_organization_get

__all__ = ["LICENSE_ID", "SmallFile", "small_dataset_publish"]

LICENSE_ID = "dl-by-de/2.0"


@dataclass(frozen=True)
class SmallFile:
    """One resource of a small dataset: its format ("CSV"), file suffix, media type, resource
    name and the file's bytes."""

    format: str
    suffix: str
    mimetype: str
    title: str
    content: bytes


def _temp_write(*, storage, name: str, content: bytes) -> Path:
    """`content` in a temporary file next to its final place (local disk: the rename stays on
    one file system) or in the system's temporary directory (object storage: uploaded)."""
    if storage_is_local(storage):
        final = Path(storage.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(f".{final.name}.tmp")
        temp.write_bytes(content)
        return temp
    fd, temp = tempfile.mkstemp(prefix=".small-dataset-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return Path(temp)


def small_dataset_publish(*, name: str, title: str, notes: str, tags: tuple[str, ...], theme: str,
                          files: tuple[SmallFile, ...], frequency: str = "DAILY") -> tuple[str, ...]:
    """Create or update the dataset `name` with `files` (in this order) and publish it
    atomically (module docstring); returns the formats whose file was rewritten."""
    storage = Resource._meta.get_field("upload").storage
    now = timezone.now()
    changed, moves = [], []
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(name=name).first() or Dataset(name=name)
        dataset.title, dataset.notes = title, notes
        dataset.owner_org = city_organization_get()
        dataset.license_id = LICENSE_ID
        dataset.private, dataset.state = False, Dataset.State.ACTIVE
        dataset.frequency = frequency
        dataset.contributor_id = opendata_setting("CONTRIBUTOR_ID")
        dataset.metadata_modified = now
        dataset.save()
        group, _created = Group.objects.get_or_create(name=theme.lower(), defaults={
            "title": DATA_THEMES[theme][0], "theme": theme})
        dataset.groups.set([group])
        dataset.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])
        existing = {r.format: r for r in dataset.resources.all()}
        for position, file in enumerate(files):
            sha = hashlib.sha256(file.content).hexdigest()
            resource = existing.get(file.format) or Resource(package=dataset)
            upload_name = resource_upload_to(resource, f"{name}.{file.suffix}")
            resource.name = file.title
            resource.format, resource.mimetype, resource.position = file.format, file.mimetype, position
            resource.url_type, resource.url = Resource.UrlType.UPLOAD, ""
            if not (resource.hash == sha and resource.upload.name == upload_name
                    and storage_file_exists(storage, upload_name)):
                moves.append((_temp_write(storage=storage, name=upload_name, content=file.content), upload_name))
                resource.upload.name = upload_name
                resource.size, resource.hash, resource.last_modified = len(file.content), sha, now
                resource.metadata_modified = now
                changed.append(file.format)
            resource.save()
        for temp, upload_name in moves:
            storage_file_replace(storage, upload_name, temp)
    dataset_touch(dataset=dataset)
    return tuple(changed)
