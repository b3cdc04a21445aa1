"""The statistics page: a server-rendered folium heat map and three charts with data tables."""
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from config.csp import allow_inline_map_scripts
from reporter import statistics

from ..heatmap import heatmap_html


@allow_inline_map_scripts  # the heat map is a folium document in an iframe srcdoc
def stats(request):
    language = (get_language() or "de")[:2]
    weeks, weekly = statistics.reports_per_category_per_week(language=language)
    resolve_times = statistics.resolve_time_median_per_department()
    target_shares = statistics.resolved_within_target_per_category(language=language)
    heat_points = statistics.report_heat_points()
    frontend = settings.FRONTEND
    return render(request, "frontend/stats.html", {
        "weeks": weeks,
        "weekly": weekly,
        "weekly_max": max((max(row.counts) for row in weekly), default=0),
        "weekly_total": sum(row.total for row in weekly),
        "resolve_times": resolve_times,
        "resolve_max_days": max((r.median_days for r in resolve_times), default=0),
        "target_shares": target_shares,
        "heat_point_count": len(heat_points),
        "heatmap": heatmap_html(
            points=heat_points, center_lonlat=tuple(frontend["MAP_CENTER"]), zoom=frontend["MAP_ZOOM"],
            tile_url=frontend["TILE_URL"], tile_attribution=frontend["TILE_ATTRIBUTION"],
        ),
    })
