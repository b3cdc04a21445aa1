"""frontend.folium_local: folium documents with our Leaflet, language, title and labels."""
import json
import re

from django.utils import translation

from frontend.folium_local import map_document_create


def test_document_loads_only_our_leaflet_and_names_language_and_title():
    with translation.override("en"):
        fmap = map_document_create(title="Karte <A>", center_lonlat=(12.08, 50.88), zoom=13, tile_url="",
                                   tile_attribution="")
        html = fmap.get_root().render()
        zoom_in = translation.gettext("Vergrößern")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Karte &lt;A&gt;</title>')
    assert re.findall(r'<script src="([^"]+)"', html) == ["/static/vendor/leaflet/leaflet.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/vendor/leaflet/leaflet.css"]
    assert "http://" not in html and "https://" not in html
    assert 'role="region" aria-label="Karte &lt;A&gt;"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "center: [50.88, 12.08]," in html  # Leaflet wants [lat, lon]
    assert zoom_in != "Vergrößern" and json.dumps(zoom_in) in html  # the controls speak English
    assert "L.tileLayer" not in html


def test_tiles_come_from_the_given_url():
    fmap = map_document_create(title="Karte", center_lonlat=(12.08, 50.88), zoom=13,
                               tile_url="/kacheln/{z}/{x}/{y}.png", tile_attribution="Stadt Gera")
    html = fmap.get_root().render()
    assert '"/kacheln/{z}/{x}/{y}.png"' in html and '"attribution": "Stadt Gera"' in html
