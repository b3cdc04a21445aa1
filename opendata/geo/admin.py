"""Admin mixin for resources (the resource admin and the dataset's resource inline): the
result of the geodata ingest and, when it succeeded, the map and attribute preview.

Add `GEO_ADMIN_FIELDS` to `fields` and `readonly_fields` of a ModelAdmin or inline that
uses `GeoIngestAdminMixin`.
"""
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .preview import resource_preview_html

__all__ = ["GEO_ADMIN_FIELDS", "GeoIngestAdminMixin"]

GEO_ADMIN_FIELDS = ("geo_ingest_summary", "geo_preview")

_STATUS = {"pending": gettext_lazy("wird eingelesen …"), "ok": gettext_lazy("eingelesen"),
           "error": gettext_lazy("Fehler")}


class GeoIngestAdminMixin:
    @admin.display(description=gettext_lazy("Geodaten-Einlesung"))
    def geo_ingest_summary(self, obj):
        ingest = (obj.geo_ingest or {}) if obj is not None else {}
        status = ingest.get("status")
        if not status:
            return "–"
        if status == "error":
            return format_html('<strong>{}:</strong> <span role="alert">{}</span>', _STATUS["error"],
                               ingest.get("error", ""))
        if status != "ok":
            return _STATUS.get(status, status)
        bbox = ", ".join(f"{c:.5f}" for c in ingest.get("bbox") or [])
        items = [
            (_("Status"), _STATUS["ok"]),
            (_("Geometrietyp"), ingest.get("geometry_type", "")),
            (_("Objekte"), ingest.get("feature_count", 0)),
            (_("Quell-Koordinatensystem"), f"EPSG:{ingest.get('source_srid')}"),
            (_("Ausdehnung (WGS 84, Länge/Breite)"), bbox),
            (_("Zeichenkodierung"), ingest.get("encoding", "")),
            (_("Felder"), ", ".join(f"{f['name']} ({f['type']})" for f in ingest.get("fields", [])) or "–"),
        ]
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", items))

    @admin.display(description=gettext_lazy("Vorschau"))
    def geo_preview(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return resource_preview_html(resource=obj) or "–"
