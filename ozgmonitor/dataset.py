"""The OZG monitor as an open dataset `ozg-monitor` of the city's organisation, with a CSV and
a JSON resource, published by `opendata.exports.small` like the generated datasets of
`opendata.exports` (licence dl-by-de/2.0, frequency DAILY, the EU theme GOVE, contributorID;
files written first, then swapped in one transaction; an unchanged file is left alone).

Contents (texts in the site's language): every monitor entry (`ozgmonitor.selectors`: service,
never a case or a person); the JSON adds the key figures (`ozgmonitor.figures`, aggregates).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from opendata.exports.small import SmallFile, small_dataset_publish

from .figures import online_applications_per_month, processing_time_median_per_service
from .selectors import MonitorEntry, monitor_entries

__all__ = ["DATASET_NAME", "CSV_COLUMNS", "monitor_dataset_rebuild", "PublishResult"]

DATASET_NAME = "ozg-monitor"
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


def monitor_dataset_rebuild() -> PublishResult:
    """Write the dataset's files and publish them atomically (`opendata.exports.small`)."""
    count, contents = _files()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("OZG-Monitor: Online-Leistungen der Stadt")
        notes = _(
            "Alle Verwaltungsleistungen der Stadt im OZG-Monitor: eigene Online-Dienste und Verweise auf "
            "Leistungen von Land und Bund („Einer für alle“), mit OZG-Themenfeld, zuständigem Fachbereich, "
            "Status, Terminen, Übermittlungsweg und Reifegrad nach dem OZG-Reifegradmodell (je Kriterium; "
            "gesamt das niedrigste Kriterium). Die JSON-Datei enthält zusätzlich Kennzahlen aus den "
            "Vorgängen: Online-Anträge je Monat und die mittlere Bearbeitungsdauer (Median) je Leistung – "
            "nur Summen, keine personenbezogenen Daten. Täglich aktualisiert.")
    changed = small_dataset_publish(
        name=DATASET_NAME, title=title, notes=notes, tags=("ozg", "onlinezugangsgesetz", "verwaltungsleistungen"),
        theme="GOVE", files=tuple(SmallFile(fmt, suffix, mimetype, f"OZG-Monitor ({fmt})", contents[fmt])
                                  for fmt, suffix, mimetype in FORMATS))
    return PublishResult(services=count, changed=changed)

