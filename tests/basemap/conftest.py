"""Fixtures of the basemap tests: a tiny OSM extract and a tiny GeoPackage, written here.

The OSM file is written with pyosmium's writer, the GeoPackage with GDAL's ogr2ogr (from
GeoJSON), so both are files those libraries really read — no mock of a reader.
"""
import json
import math
import subprocess

import osmium
import pytest
from osmium.osm.mutable import Node, Way

# Around Gera's market (WGS 84 lon, lat).
LON, LAT = 12.0819, 50.8787


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile (x, y from the north) holding a WGS 84 point (the Web Mercator formula)."""
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def osm_file(tmp_path):
    """An .osm.pbf with 2 roads, 1 path, 1 railway, 1 river, 1 building, 1 park, 2 places, 1 untagged way."""
    path = tmp_path / "mini.osm.pbf"
    d = 0.001
    coords = {1: (LON, LAT), 2: (LON + 2 * d, LAT), 3: (LON, LAT + 2 * d), 4: (LON + 2 * d, LAT + 2 * d),
              5: (LON - d, LAT - d), 6: (LON - d, LAT + d), 7: (LON - 2 * d, LAT - d), 8: (LON - 2 * d, LAT + d),
              # building square
              11: (LON + d / 4, LAT + d / 4), 12: (LON + d / 2, LAT + d / 4), 13: (LON + d / 2, LAT + d / 2),
              14: (LON + d / 4, LAT + d / 2),
              # park square
              21: (LON + d, LAT + d), 22: (LON + 1.8 * d, LAT + d), 23: (LON + 1.8 * d, LAT + 1.8 * d),
              24: (LON + d, LAT + 1.8 * d)}
    writer = osmium.SimpleWriter(str(path))
    try:
        for node_id, location in coords.items():
            writer.add_node(Node(id=node_id, location=location, version=1, tags={}))
        writer.add_node(Node(id=100, location=(LON, LAT), version=1, tags={"place": "city", "name": "Gera"}))
        writer.add_node(Node(id=101, location=(LON + d, LAT + d), version=1,
                             tags={"place": "suburb", "name": "Innenstadt"}))
        ways = [
            (1000, [1, 2], {"highway": "primary", "name": "Heinrichstraße"}),
            (1001, [1, 3], {"highway": "residential", "name": "Sorge"}),
            (1002, [3, 4], {"highway": "footway"}),
            (1003, [5, 6], {"railway": "rail"}),
            (1004, [7, 8], {"waterway": "river", "name": "Weiße Elster"}),
            (1005, [11, 12, 13, 14, 11], {"building": "yes"}),
            (1006, [21, 22, 23, 24, 21], {"leisure": "park", "name": "Hofwiesenpark"}),
            (1007, [2, 4], {"barrier": "fence"}),
        ]
        for way_id, refs, tags in ways:
            writer.add_way(Way(id=way_id, nodes=refs, version=1, tags=tags))
    finally:
        writer.close()
    return path


def _feature(geometry_type, coordinates, **properties):
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": geometry_type, "coordinates": coordinates}}


def gpkg_write(path, layers: dict, srs: dict | None = None):
    """A GeoPackage with one layer per {name: [GeoJSON features]} (WGS 84 in, `srs[name]` stored)."""
    srs = srs or {}
    for i, (name, features) in enumerate(layers.items()):
        source = path.parent / f"{name}.geojson"
        source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        command = ["ogr2ogr", "-f", "GPKG", str(path), str(source), "-nln", name]
        if i:
            command[1:1] = ["-update"]
        if name in srs:
            command += ["-s_srs", "EPSG:4326", "-t_srs", srs[name]]
        subprocess.run(command, check=True, capture_output=True)
    return path


@pytest.fixture
def gpkg_file(tmp_path):
    """A GeoPackage with our layer names; roads stored in ETRS89 / UTM 33N to exercise the transform."""
    d = 0.001
    square = [[[LON, LAT], [LON + d, LAT], [LON + d, LAT + d], [LON, LAT + d], [LON, LAT]]]
    return gpkg_write(tmp_path / "mini.gpkg", {
        "roads": [_feature("LineString", [[LON, LAT], [LON + 3 * d, LAT]], name="Heinrichstraße", kind="1303"),
                  _feature("LineString", [[LON, LAT], [LON, LAT + 3 * d]], name="Sorge", kind="Fußgängerzone"),
                  _feature("LineString", [[LON, LAT + d], [LON + d, LAT + 2 * d]], name="", kind="residential")],
        "buildings": [_feature("Polygon", square)],
        "water_lines": [_feature("LineString", [[LON - 2 * d, LAT - d], [LON - 2 * d, LAT + 3 * d]],
                                 name="Weiße Elster", kind="Fluss")],
        "green_areas": [_feature("Polygon", [[[LON + 2 * d, LAT + 2 * d], [LON + 3 * d, LAT + 2 * d],
                                               [LON + 3 * d, LAT + 3 * d], [LON + 2 * d, LAT + 2 * d]]],
                                 name="Küchengarten", kind="park")],
        "places": [_feature("Point", [LON, LAT], name="Gera", kind="city"),
                   _feature("Point", [LON + d, LAT + d], name="Untermhaus", kind="district")],
    }, srs={"roads": "EPSG:25833"})
