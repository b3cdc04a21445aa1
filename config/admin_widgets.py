"""The admin's map for geometry fields: GeoDjango's OpenLayers widget on our own assets.

GeoDjango's widgets (`OpenLayersWidget`, `OSMWidget`, used by `GISModelAdmin` and by every
ModelAdmin with a geometry field) load OpenLayers from cdn.jsdelivr.net and draw raster tiles
of NASA or tile.openstreetmap.org, from an inline script. Ours keeps GeoDjango's editing code
(`gis/js/OLMapWidget.js`: draw, modify, serialise to the hidden textarea) and changes what it
stands on: OpenLayers' browser build served by us (npm `ol`, config.staticfinders), the city's
basemap vector tiles (`/karte/basemap/{z}/{x}/{y}.mvt`) as base layer, or the raster tiles of
settings.FRONTEND["TILE_URL"] when the city set one, and the options as JSON data
(`json_script`) read by `config/admin-map-widget.js`, so the admin runs no inline script.

Every admin with a geometry field uses `MapAdminMixin` (one owner; tests/config/
test_admin_widgets.py checks each registered admin). A geometry the admin shows but must not
change is named in `map_disabled_fields`: the map draws it without editing tools and Django
keeps the stored value of a disabled field whatever is posted.
"""
from django.conf import settings
from django.contrib.gis.admin.options import GeoModelAdminMixin
from django.contrib.gis.forms import OpenLayersWidget
from django.urls import reverse

from basemap.conf import basemap_setting

__all__ = ["BasemapMapWidget", "MapAdminMixin"]


def _basemap_tile_url() -> str:
    """The XYZ template of our basemap's vector tiles."""
    return reverse("basemap:tile", kwargs={"z": 0, "x": 0, "y": 0}).removesuffix("0/0/0.mvt") + "{z}/{x}/{y}.mvt"


class BasemapMapWidget(OpenLayersWidget):
    """OpenLayers on our basemap (or the city's raster tiles), from our origin only."""

    template_name = "config/admin_map_widget.html"

    class Media:
        extend = False  # not OpenLayersWidget's, which names cdn.jsdelivr.net
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js", "config/admin-map-widget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        frontend = settings.FRONTEND
        lon, lat = frontend["MAP_CENTER"]
        context["options_id"] = f"{context['id']}_map_options"
        context["options"] = {
            "geom_name": context["geom_type"], "map_srid": context["map_srid"],  # id, name: from the elements
            "default_lon": lon, "default_lat": lat, "default_zoom": frontend["MAP_ZOOM"],
            "disabled": bool(context.get("disabled")),
            "tile_url": frontend["TILE_URL"], "tile_attribution": frontend["TILE_ATTRIBUTION"],
            "basemap_url": _basemap_tile_url(), "basemap_max_zoom": basemap_setting("MAX_SOURCE_ZOOM"),
        }
        return context


class MapAdminMixin(GeoModelAdminMixin):
    """For a ModelAdmin or inline: every geometry field on `BasemapMapWidget`; the fields in
    `map_disabled_fields` shown on the map, not editable."""

    gis_widget = BasemapMapWidget
    map_disabled_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.map_disabled_fields:
            formfield.disabled = True
            formfield.required = False
        return formfield
