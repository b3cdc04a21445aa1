"""The statistics page's heat map data: the report heat points as a GeoJSON FeatureCollection
for MapLibre's `heatmap` layer (drawn by frontend/js/heatmap.mjs on the city's basemap).

Each point is one cell of the server's 50 × 50 m grid (`reporter.statistics.report_heat_points`)
with its `weight` (0–1, relative to the busiest cell); only cell centres and weights leave the
server, never a report. Coordinates are WGS 84 lon/lat (GeoJSON's axis order), rounded to 6
decimals (about 0.1 m), which is finer than the grid.
"""
from reporter.statistics import HeatPoint

__all__ = ["heat_points_geojson"]

DECIMALS = 6


def heat_points_geojson(*, points: list[HeatPoint]) -> dict:
    """The heat points as a FeatureCollection of Points with a `weight` property."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [round(p.lon, DECIMALS), round(p.lat, DECIMALS)]},
             "properties": {"weight": round(p.weight, 4)}}
            for p in points
        ],
    }
