"""The OZG monitor as an open dataset `ozg-monitor` of the city's organisation, with a CSV and
a JSON resource, published like the generated datasets of `opendata.exports` (licence
dl-by-de/2.0, frequency DAILY, the EU theme GOVE, contributorID): files written first, then in
one transaction the dataset and resource rows updated and each file renamed over the old one;
an unchanged file (same SHA-256) is left alone. `dataset_touch` refreshes `metadata_modified`,
the search index (CKAN API) and the DCAT catalogue.

Contents (texts in the site's language): every monitor entry (`ozgmonitor.selectors`: service,
never a case or a person); the JSON adds the key figures (`ozgmonitor.figures`, aggregates).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.storage import storage_file_exists, storage_file_replace, storage_is_local
from opendata.conf import opendata_setting
from opendata.exports.services import city_organization_get
from opendata.models import Dataset, Group, Resource, Tag, resource_upload_to
from opendata.services import dataset_touch
from opendata.vocabularies import DATA_THEMES

from .figures import online_applications_per_month, processing_time_median_per_service
from .selectors import MonitorEntry, monitor_entries

__all__ = ["DATASET_NAME", "CSV_COLUMNS", "monitor_dataset_rebuild", "PublishResult"]

DATASET_NAME = "ozg-monitor"
LICENSE_ID = "dl-by-de/2.0"
CSV_COLUMNS = ("key", "title", "origin", "provider", "url", "leika_key", "topic", "topic_label", "department",
               "status", "go_live_date", "target_date", "delivery_route", "maturity_model", "maturity_level",
               "maturity")


@dataclass(frozen=True)
class PublishResult:
    services: int
    changed: tuple[str, ...]  # formats whose file was rewritten

    def __str__(self) -> str:
        return _("%(name)s: %(n)d Leistungen; neu geschrieben: %(changed)s") % {
            "name": DATASET_NAME, "n": self.services, "changed": ", ".join(self.changed) or "–"}


def _row(entry: MonitorEntry) -> dict:
    return {
        "key": entry.key, "title": entry.title, "origin": entry.origin, "provider": entry.provider,
        "url": entry.url, "leika_key": entry.leika_key, "topic": entry.topic, "topic_label": entry.topic_label,
        "department": entry.department_name, "status": entry.status,
        "go_live_date": entry.go_live_date.isoformat() if entry.go_live_date else "",
        "target_date": entry.target_date.isoformat() if entry.target_date else "",
        "delivery_route": entry.delivery_route, "maturity_model": entry.maturity_model,
        "maturity_level": entry.maturity_level,
        "maturity": {key: level for key, _label, level in entry.maturity_criteria},  # in the model's order
    }


def _files() -> tuple[int, dict[str, bytes]]:
    with translation.override(settings.LANGUAGE_CODE):
        rows = [_row(entry) for entry in monitor_entries()]
        months, monthly = online_applications_per_month()
        medians = processing_time_median_per_service()
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "maturity": "; ".join(f"{k}={v}" for k, v in row["maturity"].items()),
                         "maturity_level": "" if row["maturity_level"] is None else row["maturity_level"]})
    document = {
        "services": rows,
        "online_applications_per_month": {
            "months": [m.strftime("%Y-%m") for m in months],
            "services": [{"service": r.service, "counts": list(r.counts)} for r in monthly]},
        "processing_time_median_days": [
            {"service": r.service, "closed": r.closed, "median_days": round(r.median_days, 2)} for r in medians],
    }
    return len(rows), {"CSV": text.getvalue().encode("utf-8"),
                       "JSON": json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")}


FORMATS = (("CSV", "csv", "text/csv"), ("JSON", "json", "application/json"))


def _temp_write(*, storage, name: str, content: bytes) -> Path:
    """`content` in a temporary file next to its final place (local disk: the rename stays on
    one file system) or in the system's temporary directory (object storage: uploaded)."""
    if storage_is_local(storage):
        final = Path(storage.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(f".{final.name}.tmp")
        temp.write_bytes(content)
        return temp
    fd, temp = tempfile.mkstemp(prefix=".ozgmonitor-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return Path(temp)


def monitor_dataset_rebuild() -> PublishResult:
    """Write the dataset's files and publish them atomically (module docstring)."""
    count, contents = _files()
    storage = Resource._meta.get_field("upload").storage
    now = timezone.now()
    changed, moves = [], []
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(name=DATASET_NAME).first() or Dataset(name=DATASET_NAME)
        with translation.override(settings.LANGUAGE_CODE):
            dataset.title = _("OZG-Monitor: Online-Leistungen der Stadt")
            dataset.notes = _(
                "Alle Verwaltungsleistungen der Stadt im OZG-Monitor: eigene Online-Dienste und Verweise auf "
                "Leistungen von Land und Bund („Einer für alle“), mit OZG-Themenfeld, zuständigem Fachbereich, "
                "Status, Terminen, Übermittlungsweg und Reifegrad nach dem OZG-Reifegradmodell (je Kriterium; "
                "gesamt das niedrigste Kriterium). Die JSON-Datei enthält zusätzlich Kennzahlen aus den "
                "Vorgängen: Online-Anträge je Monat und die mittlere Bearbeitungsdauer (Median) je Leistung – "
                "nur Summen, keine personenbezogenen Daten. Täglich aktualisiert.")
        dataset.owner_org = city_organization_get()
        dataset.license_id = LICENSE_ID
        dataset.private, dataset.state = False, Dataset.State.ACTIVE
        dataset.frequency = "DAILY"
        dataset.contributor_id = opendata_setting("CONTRIBUTOR_ID")
        dataset.metadata_modified = now
        dataset.save()
        group, _created = Group.objects.get_or_create(name="gove", defaults={"title": DATA_THEMES["GOVE"][0],
                                                                              "theme": "GOVE"})
        dataset.groups.set([group])
        dataset.tags.set([Tag.objects.get_or_create(name=name)[0] for name in ("ozg", "onlinezugangsgesetz",
                                                                               "verwaltungsleistungen")])
        existing = {r.format: r for r in dataset.resources.all()}
        for position, (fmt, suffix, mimetype) in enumerate(FORMATS):
            content = contents[fmt]
            sha = hashlib.sha256(content).hexdigest()
            resource = existing.get(fmt) or Resource(package=dataset)
            name = resource_upload_to(resource, f"{DATASET_NAME}.{suffix}")
            resource.name = f"OZG-Monitor ({fmt})"
            resource.format, resource.mimetype, resource.position = fmt, mimetype, position
            resource.url_type, resource.url = Resource.UrlType.UPLOAD, ""
            if not (resource.hash == sha and resource.upload.name == name and storage_file_exists(storage, name)):
                temp = _temp_write(storage=storage, name=name, content=content)
                moves.append((temp, name))
                resource.upload.name = name
                resource.size, resource.hash, resource.last_modified = len(content), sha, now
                resource.metadata_modified = now
                changed.append(fmt)
            resource.save()
        for temp, name in moves:
            storage_file_replace(storage, name, temp)
    dataset_touch(dataset=dataset)
    return PublishResult(services=count, changed=tuple(changed))
