"""Basemap HTTP: tiles decode with the expected layers, ETag/304, empty tiles, style.json, glyphs."""
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import mapbox_vector_tile
import pytest
from django.conf import settings
from django.core.management import call_command

from basemap.services import basemap_import
from basemap.style import LABEL_HALO, LAND

from .conftest import LAT, LON, tile_of

pytestmark = pytest.mark.django_db


def test_tile_decodes_with_layers_and_names(client, osm_file):
    basemap_import(path=osm_file)
    x, y = tile_of(LON, LAT, 14)
    response = client.get(f"/karte/basemap/14/{x}/{y}.mvt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert response["Cache-Control"] == "public, max-age=86400"
    layers = mapbox_vector_tile.decode(response.content)
    assert set(layers) == {"road", "railway", "waterway", "building", "green", "place"}
    assert {f["properties"].get("name") for f in layers["road"]["features"]} == {"Heinrichstraße", "Sorge", ""}
    assert {f["properties"]["kind"] for f in layers["place"]["features"]} == {"city", "suburb"}
    # Only the public columns travel: no database ids, nothing else.
    assert all(set(f["properties"]) <= {"name", "kind"} for layer in layers.values() for f in layer["features"])


def test_low_zoom_tile_keeps_only_major_features(client, osm_file):
    basemap_import(path=osm_file)
    x, y = tile_of(LON, LAT, 9)
    layers = mapbox_vector_tile.decode(client.get(f"/karte/basemap/9/{x}/{y}.mvt").content)
    assert set(layers) == {"road", "place", "waterway"}
    assert [f["properties"]["name"] for f in layers["road"]["features"]] == ["Heinrichstraße"]
    assert [f["properties"]["name"] for f in layers["place"]["features"]] == ["Gera"]


def test_etag_changes_with_import_and_answers_304(client, osm_file, gpkg_file):
    basemap_import(path=osm_file)
    x, y = tile_of(LON, LAT, 14)
    url = f"/karte/basemap/14/{x}/{y}.mvt"
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_ORIGIN="https://gis.example")
    etag = first["ETag"]
    # A tile has no text: one cached copy for every language and site (config.vary).
    assert first["Vary"] == "Accept-Encoding"
    assert "Content-Language" not in first
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["Vary"] == "Accept-Encoding"
    basemap_import(path=gpkg_file)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_empty_tile_is_204_and_out_of_range_404(client, osm_file):
    basemap_import(path=osm_file)
    response = client.get("/karte/basemap/14/0/0.mvt")
    assert response.status_code == 204 and response.content == b""
    assert "ETag" in response
    missing = client.get("/karte/basemap/3/8/0.mvt", HTTP_ACCEPT_LANGUAGE="en")
    # The error page has text in the request's language, so it keeps varying on it.
    assert missing.status_code == 404 and "Accept-Language" in missing["Vary"]
    assert client.get("/karte/basemap/23/0/0.mvt").status_code == 404
    assert client.post("/karte/basemap/0/0/0.mvt").status_code == 405


def test_style_is_valid_and_local(client, osm_file):
    basemap_import(path=osm_file)
    response = client.get("/karte/basemap/style.json")
    assert response.status_code == 200
    style = response.json()
    assert style["version"] == 8
    assert style["sources"]["basemap"]["attribution"] == "© OpenStreetMap-Mitwirkende (ODbL)"
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids))
    for layer in style["layers"]:
        assert layer["type"] == "background" or layer["source"] in style["sources"]
    tile_layers = {"water", "waterway", "green", "building", "railway", "road", "place"}
    assert {layer["source-layer"] for layer in style["layers"] if "source-layer" in layer} == tile_layers
    assert {"land", "water", "green", "building", "road-primary", "railway", "road-label", "place-label"} <= set(ids)
    urls = re.findall(r"https?://[^\"' ]+", response.content.decode())
    assert urls and all(urlsplit(u).netloc == "testserver" for u in urls)
    assert style["glyphs"] == "http://testserver/karte/basemap/fonts/{fontstack}/{range}.pbf"
    assert style["sources"]["basemap"]["tiles"] == ["http://testserver/karte/basemap/{z}/{x}/{y}.mvt"]


def _luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a, b):
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_label_colours_meet_wcag_aa_contrast(client):
    style = client.get("/karte/basemap/style.json").json()
    labels = [layer for layer in style["layers"] if layer["type"] == "symbol"]
    assert len(labels) == 3
    for layer in labels:
        assert layer["paint"]["text-halo-color"] == LABEL_HALO
        assert _contrast(layer["paint"]["text-color"], LABEL_HALO) >= 4.5
        assert _contrast(layer["paint"]["text-color"], LAND) >= 4.5


@pytest.fixture(scope="session")
def glyphs_dir(tmp_path_factory):
    """Two glyph blocks per font, generated by fontnik as set-up does (into a temporary folder)."""
    from django.conf import settings as django_settings
    root = tmp_path_factory.mktemp("glyphs")
    previous = getattr(django_settings, "BASEMAP", None)
    django_settings.BASEMAP = {"GLYPHS_DIR": str(root)}
    try:
        call_command("build_basemap_glyphs", "--ranges", "0-255", "8192-8447")
    finally:
        if previous is None:
            del django_settings.BASEMAP
        else:
            django_settings.BASEMAP = previous
    return root


def test_glyph_range_served_and_missing_range_404(client, settings, glyphs_dir):
    settings.BASEMAP = {"GLYPHS_DIR": str(glyphs_dir)}
    response = client.get("/karte/basemap/fonts/DejaVu Sans Book/0-255.pbf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-protobuf"
    assert response["Vary"] == "Accept-Encoding"
    body = b"".join(response.streaming_content)
    assert len(body) > 10_000 and b"DejaVu Sans Book" in body
    # A stack falls back to the first font we have.
    assert client.get("/karte/basemap/fonts/Noto Sans Regular,DejaVu Sans Bold/8192-8447.pbf").status_code == 200
    assert client.get("/karte/basemap/fonts/DejaVu Sans Book/256-511.pbf").status_code == 404
    assert client.get("/karte/basemap/fonts/DejaVu Sans Book/0-254.pbf").status_code == 404
    assert client.get("/karte/basemap/fonts/Comic Sans/0-255.pbf").status_code == 404
    assert client.get("/karte/basemap/fonts/..%2F..%2Fetc/0-255.pbf").status_code == 404


def test_style_passes_maplibres_style_spec_validator(client, tmp_path):
    """MapLibre refuses a style its validator rejects (the map stays blank), so the style must
    pass @maplibre/maplibre-gl-style-spec's gl-style-validate (installed with maplibre-gl)."""
    validator = Path(settings.BASE_DIR) / "node_modules" / "@maplibre" / "maplibre-gl-style-spec" / "dist" \
        / "gl-style-validate.mjs"
    style = tmp_path / "style.json"
    style.write_bytes(client.get("/karte/basemap/style.json").content)
    result = subprocess.run(["node", str(validator), str(style)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
