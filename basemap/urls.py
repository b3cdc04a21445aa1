"""URLs of the basemap (mounted under /karte/basemap/ by config.urls)."""
from django.urls import path, register_converter

from . import views

app_name = "basemap"


class _Glyphs:
    """A glyph range "start-end" as MapLibre asks for it (checked further in the selector)."""

    regex = r"[0-9]{1,5}-[0-9]{1,5}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(_Glyphs, "glyphrange")

urlpatterns = [
    path("style.json", views.style, name="style"),
    path("<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
    path("fonts/<str:fontstack>/<glyphrange:glyph_range>.pbf", views.glyphs, name="glyphs"),
]
