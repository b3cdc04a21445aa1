"""The statistics page: a heat map (MapLibre, frontend/js/heatmap.mjs) and three charts with data tables."""
from django.shortcuts import render
from django.utils.translation import get_language

from reporter import statistics

from ..heatmap import heat_points_geojson


def stats(request):
    """The statistics page (public; hidden reports are not counted)."""
    language = (get_language() or "de")[:2]
    weeks, weekly = statistics.reports_per_category_per_week(language=language)
    resolve_times = statistics.resolve_time_median_per_department()
    target_shares = statistics.resolved_within_target_per_category(language=language)
    heat_points = statistics.report_heat_points()
    return render(request, "frontend/stats.html", {
        "weeks": weeks,
        "weekly": weekly,
        "weekly_max": max((max(row.counts) for row in weekly), default=0),
        "weekly_total": sum(row.total for row in weekly),
        "resolve_times": resolve_times,
        "resolve_max_days": max((r.median_days for r in resolve_times), default=0),
        "target_shares": target_shares,
        "heat_point_count": len(heat_points),
        "heat_points": heat_points_geojson(points=heat_points),
    })
