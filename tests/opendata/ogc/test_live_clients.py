"""Real OGC API – Features clients against a live test server, unchanged, as third parties
use them: OWSLib (`owslib.ogcapi.features.Features`) and GDAL's OAPIF driver through
pyogrio (which must follow the next links to read more than one page)."""
import json
import os
import subprocess
import sys

import pytest
from owslib.ogcapi.features import Features

from reporter.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def service(live_server, ogc_data):
    return f"{live_server.url}/ogc"


def test_owslib_reads_collections_and_items(service, ogc_data):
    api = Features(service)
    assert api.conformance()["conformsTo"][0] == "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
    assert api.api()["components"]["parameters"]["limit"]["schema"]["maximum"] == 10000
    assert api.feature_collections() == [
        "reports", "jurisdiction-nachbarn", "jurisdiction-stadtgrenze", f"resource-{ogc_data.resource.id}"]
    reports = api.collection("reports")
    assert reports["extent"]["spatial"]["bbox"] == [[12.005, 50.855, 12.08, 50.885]]

    page = api.collection_items("reports", bbox=[12.0, 50.85, 12.036, 50.866], limit=2)
    # The 3 x 2 grid cells in the box: days 1–3 and 7–9.
    expected = sorted(r.pk for r in ogc_data.visible
                      if 12.0 <= r.location.x <= 12.036 and 50.85 <= r.location.y <= 50.866)
    assert len(expected) == 6
    assert page["numberMatched"] == 6
    assert [f["id"] for f in page["features"]] == expected[:2]
    rest = api.collection_items("reports", bbox=[12.0, 50.85, 12.036, 50.866], limit=10, offset=2)
    assert [f["id"] for f in rest["features"]] == expected[2:]

    one = api.collection_item("reports", str(expected[0]))
    assert one["properties"]["category"] == "schlagloch"
    with pytest.raises(RuntimeError):
        api.collection_items("reports", limit=0)


# GDAL runs in a child process: pyogrio holds the GIL while OGR fetches the next page, which
# would starve the live server's thread in this process.
_GDAL_READ = """
import json, sys
import pyogrio, pyogrio.raw
from shapely import from_wkb
source, layer, bbox, page_size = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
meta, _fids, geometry, fields = pyogrio.raw.read(source, layer=layer, bbox=tuple(bbox) if bbox else None,
                                                 PAGE_SIZE=page_size)
rows = [dict(zip(meta["fields"], [v.item() if hasattr(v, "item") else v for v in values]))
        for values in zip(*fields)]
for row, wkb in zip(rows, geometry):
    row["wkt"] = from_wkb(wkb).wkt
print(json.dumps({"layers": [name for name, _ in pyogrio.list_layers(source)], "fields": list(meta["fields"]),
                  "geometry_type": meta["geometry_type"], "rows": rows,
                  "info": pyogrio.read_info(source, layer=layer)["features"]}, default=str))
"""


def _gdal(service: str, layer: str, *, bbox=None, page_size: int = 5) -> dict:
    done = subprocess.run([sys.executable, "-c", _GDAL_READ, f"OAPIF:{service}", layer, json.dumps(bbox),
                           str(page_size)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_gdal_reads_every_page_through_next_links(service, ogc_data, live_server):
    # Pages of 5: 24 reports need 5 requests, each found through the previous page's next link.
    result = _gdal(service, "reports", page_size=5)
    assert result["layers"] == ["reports", "jurisdiction-nachbarn", "jurisdiction-stadtgrenze",
                                f"resource-{ogc_data.resource.id}"]
    assert sorted(row["id"] for row in result["rows"]) == sorted(r.pk for r in ogc_data.visible)
    assert result["info"] == 24
    assert {"category", "status", "description", "created_at", "department"} <= set(result["fields"])
    for forbidden in ("reporter_email", "reporter_name", "reporter_phone", "tracking_token"):
        assert forbidden not in result["fields"]
    first = next(row for row in result["rows"] if row["id"] == ogc_data.visible[0].pk)
    assert first["wkt"] == "POINT (12.005 50.855)"
    assert first["description"] == "Schlagloch Nummer 0"

    areas = _gdal(service, "jurisdiction-stadtgrenze")
    assert [row["name"] for row in areas["rows"]] == ["Teststadt"]
    assert areas["geometry_type"] == "MultiPolygon"


def test_gdal_forwards_a_spatial_filter_as_bbox(service, ogc_data):
    result = _gdal(service, "reports", bbox=[12.0, 50.85, 12.036, 50.866], page_size=4)
    assert sorted(row["id"] for row in result["rows"]) == sorted(
        r.pk for r in ogc_data.visible if 12.0 <= r.location.x <= 12.036 and 50.85 <= r.location.y <= 50.866)


_GDAL_WHERE = """
import sys
import pyogrio.raw
meta, _fids, _geometry, fields = pyogrio.raw.read(sys.argv[1], layer="reports", where=sys.argv[2])
print(sorted(int(v) for v in fields[list(meta["fields"]).index("id")]))
"""


def test_gdal_filters_attributes_and_asks_for_the_crs(service, ogc_data):
    """GDAL 3.12's OAPIF reader with an attribute filter: the result is right. It sends
    Part 2's `crs` on the items requests; it evaluated this filter on the client side
    ("Full filter will be evaluated on client side") instead of sending it as CQL2."""
    first = ogc_data.visible[0]
    Report.objects.filter(pk=first.pk).update(supporter_count=4)
    env = {**os.environ, "CPL_DEBUG": "ON", "CPL_CURL_VERBOSE": "YES"}
    done = subprocess.run([sys.executable, "-c", _GDAL_WHERE, f"OAPIF:{service}", "supporter_count > 3"],
                          capture_output=True, text=True, timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"[{first.pk}]"
    requests = [line for line in done.stderr.splitlines() if "GET /ogc/collections/reports/items" in line]
    assert any("crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84" in line for line in requests), requests
