"""The map home page: reports on a MapLibre map, with a filter form and a list that work without JS.

The map itself is drawn by static/frontend/js/map.mjs from the reports' vector tiles (OGC API –
Tiles, `opendata.ogc.tiles`: counts per cell below `points_zoom`, points from it), so a
million reports cost what the tiles in view cost; the list beside it is one page of the
reports in view from `/api/v1/reports/` (with `numberMatched`). The server renders the
filter form, the status legend and the newest reports matching the filter, so the page is
complete without JavaScript; the script then replaces the list with the reports in view.
"""
import json
from urllib.parse import unquote

from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from opendata.ogc.tiles.aggregates import aggregate_levels
from reporter.models import Report
from reporter.selectors import ReportListFilter, report_list_geojson
from routing_rules.selectors import category_list

# Reports per page of the server-rendered list (the script's pages of the reports in view too).
LIST_PAGE_SIZE = 20

# Symbol per status in the legend and on the map: shape and colour, never colour alone.
STATUS_SYMBOLS = {
    Report.Status.SUBMITTED: "ring",
    Report.Status.OPEN: "triangle",
    Report.Status.IN_PROGRESS: "diamond",
    Report.Status.RESOLVED: "check",
    Report.Status.NOT_FIXABLE: "cross",
    Report.Status.DUPLICATE: "equals",
    Report.Status.REFERRED: "arrow",
}


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _list_item(feature: str) -> dict:
    properties = json.loads(feature)["properties"]
    properties["created_at"] = parse_datetime(properties["created_at"])
    properties["status_label"] = Report.Status(properties["status"]).label
    properties["status_symbol"] = STATUS_SYMBOLS[properties["status"]]
    return properties


def _report_tile_template() -> str:
    """The reports' tile URL with MapLibre's placeholders (row before column, as OGC's path)."""
    return unquote(reverse("ogc-tile", args=["reports", "WebMercatorQuad", "{z}", "{y}", "{x}"]))


def home(request):
    categories = list(category_list())
    chosen_statuses = [s for s in request.GET.getlist("status") if s in Report.Status.values]
    chosen_slugs = set(request.GET.getlist("category"))
    chosen_categories = [c for c in categories if c.slug in chosen_slugs]
    page = _page_number(request.GET.get("seite"))
    filters = ReportListFilter(
        statuses=tuple(chosen_statuses), category_ids=tuple(c.pk for c in chosen_categories),
        limit=LIST_PAGE_SIZE, offset=(page - 1) * LIST_PAGE_SIZE,
    )
    listed = report_list_geojson(filters=filters, language=(get_language() or "de")[:2])
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "frontend/home.html", {
        "statuses": [
            {"value": value, "label": label, "symbol": STATUS_SYMBOLS[value], "checked": value in chosen_statuses}
            for value, label in Report.Status.choices
        ],
        "categories": [
            {"slug": c.slug, "name": c.display_name, "checked": c.slug in chosen_slugs} for c in categories
        ],
        "filter_active": bool(chosen_statuses or chosen_categories),
        "reports": [_list_item(f) for f in listed.features],
        "matched": listed.matched,
        # Beyond STADTMELDER["LIST_COUNT_MAX"] the total is not counted: "more than" it.
        "matched_more_than": None if listed.exact else listed.matched - 1,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if listed.has_next else None,
        "filter_query": query.urlencode(),
        "list_page_size": LIST_PAGE_SIZE,
        "tiles_url": _report_tile_template(),
        # Tiles of this zoom and above carry points, lower ones counts per cell.
        "points_zoom": aggregate_levels().below_zoom,
    })
