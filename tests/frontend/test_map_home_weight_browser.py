"""What the map home's first load costs with 10,000 reports in view: requests and bytes by kind
(page, static assets, basemap, report tiles, report JSON), printed, at phone and desktop width.

A measurement more than a test: it asserts only what the design promises (the report data
stays small: no JSON of all reports, report data under 64 KB). Run with
`pytest -s tests/frontend/test_map_home_weight_browser.py` to see the figures. Bytes are the
response bodies as sent (WhiteNoise serves static files compressed when the browser accepts it;
the app's responses are not compressed by the live test server)."""
from collections import defaultdict
from urllib.parse import urlparse

import pytest

from tests.fixtures_browser import DESKTOP, PHONE
from tests.frontend.test_map_home_browser import ten_thousand_reports


def _kind(path: str) -> str:
    if path.startswith("/ogc/collections/reports/tiles/"):
        return "report tiles"
    if path.startswith("/api/v1/reports"):
        return "report JSON"
    if path.startswith("/karte/basemap/"):
        return "basemap"
    if path.startswith("/static/"):
        return "static"
    return "other"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_first_load_with_10000_reports(new_context, city, viewport, capsys):
    ten_thousand_reports(city)
    page = new_context(viewport=viewport).new_page()
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto("/")
    page.wait_for_function("/Kartenausschnitt/.test(document.getElementById('map-summary').textContent)")
    page.wait_for_function("() => window.stadtmelderMap && window.stadtmelderMap.loaded() "
                           "&& window.stadtmelderMap.areTilesLoaded()")
    page.wait_for_load_state("networkidle")
    totals = defaultdict(lambda: [0, 0])
    for request in finished:
        if not request.url.startswith("http"):
            continue
        kind = _kind(urlparse(request.url).path)
        totals[kind][0] += 1
        totals[kind][1] += request.sizes()["responseBodySize"]
    with capsys.disabled():
        print(f"\nmap home first load, 10,000 reports, {viewport['width']} px:")
        for kind, (n, size) in sorted(totals.items()):
            print(f"  {kind:13} {n:3} requests {size:9,} bytes")
        n = sum(t[0] for t in totals.values())
        size = sum(t[1] for t in totals.values())
        print(f"  {'total':13} {n:3} requests {size:9,} bytes")
    report_bytes = totals["report tiles"][1] + totals["report JSON"][1]
    assert report_bytes < 64 * 1024
