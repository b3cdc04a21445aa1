"""GDAL's OAPIF driver (the system's `ogrinfo`, GDAL 3.6 on Debian 12) pushes an attribute
filter and a spatial filter to our server, as the requests our live server received show,
and prints exactly the expected features.

What GDAL 3.6 sends (ogr/ogrsf_frmts/wfs/ogroapifdriver.cpp, the same in GDAL 3.12): `-spat`
as `bbox=`; an equality on a field that the collection's items path in our OpenAPI
document lists as a query parameter as `name=value` (Part 1 §7.15.5, Part 3
queryables-query-parameters); comparisons of a date-time field as `datetime=`. It sends a
`filter` only to servers whose OpenAPI `filter-lang` enumerates the pre-CQL2 draft's names
`cql-text` or `json-filter-expr`; it knows neither `cql2-text` nor the CQL2 conformance
classes, so any other condition (`>`, LIKE, OR) is evaluated on the client after the
server's narrowed pages arrived (the README says so).
"""
import re
import subprocess

import pytest
from django.core.signals import request_started

from reporter.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

BOX = (12.0, 50.85, 12.036, 50.866)  # min lon, min lat, max lon, max lat (CRS84): 6 of the grid's cells


@pytest.fixture
def received():
    """The path and query of every request the live server starts (it runs in a thread of
    this process, so Django's request_started signal reaches us)."""
    seen: list[str] = []

    def record(sender, environ, **kwargs):
        seen.append(f"{environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')}")

    request_started.connect(record, dispatch_uid="ogc-gdal-received")
    yield seen
    request_started.disconnect(dispatch_uid="ogc-gdal-received")


def _ogrinfo(service: str, where: str) -> tuple[list[int], str]:
    done = subprocess.run(["ogrinfo", "-ro", "-q", "--debug", "on", f"OAPIF:{service}", "reports", "-where", where,
                           "-spat", *map(str, BOX)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    ids = [int(v) for v in re.findall(r"^\s+id \(Integer(?:64)?\) = (\d+)$", done.stdout, flags=re.MULTILINE)]
    return sorted(ids), done.stderr


def _in_box(report) -> bool:
    return BOX[0] <= report.location.x <= BOX[2] and BOX[1] <= report.location.y <= BOX[3]


def test_gdal_sends_the_property_filter_and_the_bbox(live_server, ogc_data, received):
    in_box = [r for r in ogc_data.visible if _in_box(r)]
    assert len(in_box) == 6
    Report.objects.filter(pk__in=[r.pk for r in in_box[:2]]).update(status=Report.Status.RESOLVED)

    ids, debug = _ogrinfo(f"{live_server.url}/ogc/", "status = 'resolved'")

    assert ids == sorted(r.pk for r in in_box[:2])
    items = [line for line in received if line.startswith("/ogc/collections/reports/items?")]
    narrowed = [line for line in items if "status=resolved" in line and "bbox=" in line]
    assert narrowed, items
    assert "Full filter will be evaluated on client side" not in debug
    # The server did the filtering: every page GDAL read after the first probe carried both.
    assert [line for line in items[1:] if line not in narrowed] == [], items


def test_gdal_evaluates_a_comparison_on_the_client_but_still_sends_the_bbox(live_server, ogc_data, received):
    """GDAL 3.6 cannot send `>` to a CQL2 server (see the module docstring): the result is
    still right, and the bbox still narrows what the server sends."""
    first = next(r for r in ogc_data.visible if _in_box(r))
    Report.objects.filter(pk=first.pk).update(supporter_count=4)

    ids, debug = _ogrinfo(f"{live_server.url}/ogc/", "supporter_count > 3")

    assert ids == [first.pk]
    assert "Full filter will be evaluated on client side" in debug
    items = [line for line in received if line.startswith("/ogc/collections/reports/items?")]
    assert any("bbox=" in line for line in items), items
    assert not any("filter=" in line or "supporter_count" in line for line in items), items
