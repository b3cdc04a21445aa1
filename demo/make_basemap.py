"""Generate demo/basemap_demo.gpkg, the demo city's own small basemap (run: .venv/bin/python demo/make_basemap.py).

Made from the demo data, so it matches what the demo shows and needs no internet:
- streets: a line through the house coordinates of each street (hauskoordinaten_demo.csv,
  ETRS89 / UTM 32N), found by ordering the houses along the street's main axis and averaging
  them in 40 m steps; squares as a footway ring around their houses;
- buildings: a 12 × 10 m footprint at every house coordinate, turned along its street;
- places: the gazetteer of `load_demo` (districts, squares, landmarks), the districts of the
  address list, and the city itself;
- green: the demo parks of `load_demo` (Stadtwald as forest);
- water and railway: the Weiße Elster and the line through the Hauptbahnhof, drawn by hand
  after the real ones (approximate, like all demo geometry).
GeoJSON is written per layer and packed into one GeoPackage with GDAL's ogr2ogr (the
geometry is the same on every run; GDAL's timestamps inside the file are not).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, box, mapping

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()
from reporter.management.commands.load_demo import PARKS, PLACES  # noqa: E402

OUT = HERE / "basemap_demo.gpkg"
TO_WGS84 = Transformer.from_crs(25832, 4326, always_xy=True).transform
TO_UTM = Transformer.from_crs(4326, 25832, always_xy=True).transform
MAJOR = {"Heinrichstraße": "primary", "Leipziger Straße": "secondary", "Berliner Straße": "secondary",
         "Greizer Straße": "secondary", "Straße des Friedens": "tertiary", "Sorge": "pedestrian"}
SQUARES = {"Markt", "Johannisplatz", "Puschkinplatz", "Bahnhofsplatz", "Museumsplatz", "Theaterplatz"}
RIVER = [(12.052, 50.945), (12.060, 50.925), (12.066, 50.905), (12.070, 50.890), (12.0705, 50.880),
         (12.074, 50.868), (12.080, 50.855), (12.083, 50.840), (12.090, 50.820)]
RAILWAY = [(12.000, 50.905), (12.040, 50.893), (12.0766, 50.8845), (12.095, 50.877), (12.130, 50.868),
           (12.180, 50.862)]


def _houses():
    """{street: [(east, north, district)]} in EPSG:25832 (the zone digits dropped from the east value)."""
    streets = defaultdict(list)
    with (HERE / "hauskoordinaten_demo.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if not row or row[0].startswith("#") or len(row) < 18:
                continue
            east = float(row[11].replace(",", ".")) - 32_000_000
            north = float(row[12].replace(",", "."))
            streets[row[13]].append((east, north, row[17]))
    return streets


def _axis(points):
    """Unit vector of the main direction of a point cloud (first principal component)."""
    centred = points - points.mean(axis=0)
    return np.linalg.svd(centred, full_matrices=False)[2][0]


def _street_line(points):
    """A line through a street's houses: ordered along the main axis, averaged in 40 m steps."""
    axis = _axis(points)
    along = (points - points.mean(axis=0)) @ axis
    steps = np.floor((along - along.min()) / 40).astype(int)
    vertices = [points[steps == s].mean(axis=0) for s in sorted(set(steps))]
    if len(vertices) < 2:
        vertices = [points.mean(axis=0) - 30 * axis, points.mean(axis=0) + 30 * axis]
    return LineString(vertices).simplify(3)


def _wgs84(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_WGS84(xy[:, 0], xy[:, 1])))


def _feature(geom, **properties):
    return {"type": "Feature", "properties": properties,
            "geometry": json.loads(json.dumps(mapping(geom), default=float))}


def _round(collection):
    """Coordinates to 6 decimals (about 0.1 m): small file, stable output."""
    def walk(value):
        if isinstance(value, float):
            return round(value, 6)
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value
    for feature in collection:
        feature["geometry"]["coordinates"] = walk(feature["geometry"]["coordinates"])
    return collection


def layers():
    """{layer: [GeoJSON features]} of the demo basemap (WGS 84)."""
    roads, buildings, places = [], [], []
    districts = defaultdict(list)
    for street, houses in sorted(_houses().items()):
        points = np.array([(e, n) for e, n, _ in houses])
        for e, n, district in houses:
            districts[district].append((e, n))
        axis = _axis(points)
        angle = np.degrees(np.arctan2(axis[1], axis[0]))
        for e, n in points:
            footprint = affinity.rotate(box(e - 6, n - 5, e + 6, n + 5), angle, origin=(e, n))
            buildings.append(_feature(_wgs84(footprint)))
        if street in SQUARES:
            ring = MultiPoint([tuple(p) for p in points]).convex_hull.buffer(4).exterior.simplify(2)
            roads.append(_feature(_wgs84(LineString(ring.coords)), name=street, kind="pedestrian"))
        else:
            roads.append(_feature(_wgs84(_street_line(points)), name=street, kind=MAJOR.get(street, "residential")))
    kinds = {"district": "suburb", "square": "square", "landmark": "locality"}
    for name, kind, lon, lat, _alt in PLACES:
        if kind in kinds:
            places.append(_feature(Point(lon, lat), name=name, kind=kinds[kind]))
    known = {name for name, *_ in PLACES}
    for district, points in sorted(districts.items()):
        if district not in known:
            places.append(_feature(_wgs84(Point(np.array(points).mean(axis=0))), name=district, kind="suburb"))
    places.append(_feature(Point(12.0819, 50.8797), name="Gera", kind="city"))
    green = [_feature(box(*bounds), name=name, kind="forest" if name == "Stadtwald" else "park")
             for name, bounds in PARKS]
    river_utm = shapely.transform(LineString(RIVER), lambda xy: np.column_stack(TO_UTM(xy[:, 0], xy[:, 1])))
    water_areas = [_feature(_wgs84(river_utm.buffer(18).simplify(2)), name="Weiße Elster", kind="river")]
    water_lines = [_feature(LineString(RIVER), name="Weiße Elster", kind="river")]
    railways = [_feature(LineString(RAILWAY), name="", kind="rail")]
    return {"roads": roads, "buildings": buildings, "places": places, "green_areas": green,
            "water_areas": water_areas, "water_lines": water_lines, "railways": railways}


def main():
    """Write demo/basemap_demo.gpkg from scratch."""
    OUT.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, features) in enumerate(layers().items()):
            source = Path(tmp) / f"{name}.geojson"
            source.write_text(json.dumps({"type": "FeatureCollection", "features": _round(features)},
                                         ensure_ascii=False), encoding="utf-8")
            command = ["ogr2ogr", "-f", "GPKG", *(["-update"] if i else []), str(OUT), str(source), "-nln", name]
            subprocess.run(command, check=True)
            print(f"{name}: {len(features)}")
    print(f"{OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
