"""Admin for jurisdiction layers and areas, the gazetteer (places) and the address list.

Areas, places and addresses are imported (`manage.py import_layer`, `import_places`,
`import_addresses`); the admin shows their geometry on a map (config.admin_widgets, not
editable) beside a text summary, and creates none of them. Areas are saved and deleted
through `services` (the layer's `areas_version`, its tiles' ETag).
"""
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_widgets import MapAdminMixin

from .models import Address, JurisdictionArea, JurisdictionLayer, Place
from .services import area_save, areas_delete

_WKT_PREVIEW_CHARS = 300


@admin.register(JurisdictionLayer)
class JurisdictionLayerAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "role", "area_count", "source", "source_srid", "imported_at", "is_demo"]
    list_filter = ["role", "is_demo"]
    search_fields = ["slug", "name"]
    readonly_fields = ["source", "source_srid", "imported_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(area_count=Count("areas"))

    @admin.display(description=_("Gebiete"), ordering="area_count")
    def area_count(self, obj):
        return obj.area_count


@admin.register(JurisdictionArea)
class JurisdictionAreaAdmin(MapAdminMixin, admin.ModelAdmin):
    list_display = ["name", "layer", "code", "authority"]
    list_filter = ["layer"]
    list_select_related = ["layer"]
    search_fields = ["name", "code", "authority"]
    readonly_fields = ["layer", "geom_summary"]
    map_disabled_fields = ("geom",)

    def has_add_permission(self, request):
        return False  # areas are imported with `manage.py import_layer`

    def save_model(self, request, obj, form, change):
        area_save(area=obj)

    def delete_model(self, request, obj):
        areas_delete(areas=[obj])

    def delete_queryset(self, request, queryset):
        areas_delete(areas=queryset)

    @admin.display(description=_("Geometrie"))
    def geom_summary(self, obj):
        """Type, part and vertex count, extent (EPSG:4326, lon/lat) and the start of the WKT."""
        geom = obj.geom
        if geom is None:
            return "–"
        x0, y0, x1, y1 = geom.extent
        wkt = geom.wkt
        if len(wkt) > _WKT_PREVIEW_CHARS:
            wkt = wkt[:_WKT_PREVIEW_CHARS] + " …"
        return _("%(type)s, %(parts)s, %(points)s, Ausdehnung lon %(x0).5f–%(x1).5f, "
                 "lat %(y0).5f–%(y1).5f (EPSG:4326). %(wkt)s") % {
            "type": geom.geom_type,
            "parts": ngettext("%(n)d Teil", "%(n)d Teile", len(geom)) % {"n": len(geom)},
            "points": ngettext("%(n)d Punkt", "%(n)d Punkte", geom.num_points) % {"n": geom.num_points},
            "x0": x0, "x1": x1, "y0": y0, "y1": y1, "wkt": wkt,
        }


@admin.register(Place)
class PlaceAdmin(MapAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "lon_lat", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "alt_names"]
    readonly_fields = ["lon_lat"]
    map_disabled_fields = ("point",)

    def has_add_permission(self, request):
        return False  # places are imported with `manage.py import_places`

    @admin.display(description=_("lon, lat (WGS 84)"))
    def lon_lat(self, obj):
        return f"{obj.point.x:.6f}, {obj.point.y:.6f}" if obj.point else "–"


@admin.register(Address)
class AddressAdmin(MapAdminMixin, admin.ModelAdmin):
    list_display = ["street", "house_number", "postcode", "city", "district", "lon_lat", "source", "is_demo"]
    list_filter = ["source", "is_demo", "postcode"]
    search_fields = ["street", "postcode", "city", "district"]
    readonly_fields = ["lon_lat"]
    map_disabled_fields = ("point",)

    def has_add_permission(self, request):
        return False  # addresses are imported with `manage.py import_addresses`

    @admin.display(description=_("Hausnummer"), ordering="number")
    def house_number(self, obj):
        return obj.house_number

    @admin.display(description=_("lon, lat (WGS 84)"))
    def lon_lat(self, obj):
        return f"{obj.point.x:.6f}, {obj.point.y:.6f}" if obj.point else "–"
