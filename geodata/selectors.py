"""Reads: jurisdiction layers, the area of a layer that covers a point, and the gazetteer search."""
import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.db.models import Count, QuerySet

from .models import JurisdictionArea, JurisdictionLayer, Place

__all__ = ["layer_list", "area_at_point", "place_search", "place_resolve", "PlaceResolution", "place_get",
           "PLACE_QUERY_MIN"]

# Shortest query the gazetteer answers (characters, after trimming).
PLACE_QUERY_MIN = 2
PLACE_LIMIT_MAX = 20


def layer_list(*, role: str | None = None) -> QuerySet[JurisdictionLayer]:
    """Layers by slug, each annotated with `area_count`; optionally only one role."""
    qs = JurisdictionLayer.objects.annotate(area_count=Count("areas")).order_by("slug")
    return qs.filter(role=role) if role else qs


def area_at_point(*, layer: JurisdictionLayer | str, point: Point) -> JurisdictionArea | None:
    """The area of `layer` (instance or slug) covering `point` (EPSG:4326, lon/lat), or None.

    ST_Covers counts the boundary as inside, so a point on a shared edge is covered by both
    neighbours; like the routing query, the smaller polygon wins, then the lower id. The area
    is compared in square degrees: enough to order neighbouring polygons, not a measurement.
    """
    if point.srid != 4326:
        raise ValueError("area_at_point expects a point in EPSG:4326 (lon, lat)")
    qs = JurisdictionArea.objects.select_related("layer").filter(geom__covers=point)
    qs = qs.filter(layer__slug=layer) if isinstance(layer, str) else qs.filter(layer=layer)
    return qs.annotate(size=Area("geom")).order_by("size", "id").first()


# German abbreviations people type: "Schloßstr. 4", "Johannispl", "Str. des Friedens".
_ABBREVIATIONS = [
    (re.compile(r"(?<=\w)str\b\.?|\bstr\b\.?", re.IGNORECASE), "straße"),
    (re.compile(r"(?<=\w)pl\b\.?|\bpl\b\.", re.IGNORECASE), "platz"),
]
# A trailing house number ("Heinrichstraße 12a") is not part of the name.
_HOUSE_NUMBER = re.compile(r"\s+\d+\s*[a-z]?$", re.IGNORECASE)

# Ranking tiers: 0 the whole name (or another name) equals the query, 1 the name starts with
# it, 2 a word of the name starts with it, 3 the name or another name contains it, 4 only
# similar (pg_trgm word similarity ≥ _SIMILARITY, i.e. a typo or two).
# Comparison is case- and accent-insensitive (lower + unaccent: "ß" = "ss", "ö" = "o").
# A sequential scan: a city gazetteer (a few thousand rows) is searched in a few
# milliseconds; unaccent() is not IMMUTABLE, so it could not be indexed without a wrapper.
_SIMILARITY = 0.45
_SEARCH_SQL = """
WITH q AS (
    SELECT unaccent(lower(%(q)s)) AS q, unaccent(lower(%(like)s)) AS l
), p AS (
    SELECT pl.*, unaccent(lower(pl.name)) AS n, unaccent(lower(pl.alt_names)) AS a
    FROM geodata_place pl
), scored AS (
    SELECT p.id, p.name, p.kind, p.alt_names, p.point, p.is_demo,
        CASE
            WHEN p.n = q.q OR q.q = ANY(string_to_array(p.a, E'\\n')) THEN 0
            WHEN p.n LIKE q.l || '%%' THEN 1
            WHEN translate(p.n, '-/(', '   ') LIKE '%% ' || q.l || '%%' THEN 2
            WHEN p.n LIKE '%%' || q.l || '%%' OR p.a LIKE '%%' || q.l || '%%' THEN 3
            ELSE 4
        END AS tier,
        greatest(word_similarity(q.q, p.n), word_similarity(q.q, p.a)) AS similarity
    FROM p, q
)
SELECT * FROM scored
WHERE tier < 4 OR similarity >= %(similarity)s
ORDER BY tier, similarity DESC, length(name), name, id
LIMIT %(limit)s
"""


def _query_normalize(q: str) -> str:
    q = " ".join((q or "").split())
    q = _HOUSE_NUMBER.sub("", q)
    for pattern, replacement in _ABBREVIATIONS:
        q = pattern.sub(replacement, q)
    return q.strip(" ,")


def place_search(*, q: str, limit: int = 10) -> list[Place]:
    """Gazetteer entries matching `q`, best first (at most `limit`, capped at 20).

    Case-, accent- and typo-tolerant ("johanisplatz", "Schlossstr." find "Johannisplatz",
    "Schloßstraße"). Each result carries `tier` (0 = exact … 4 = only similar) and
    `similarity` (0–1). Queries shorter than two characters find nothing.
    """
    q = _query_normalize(q)
    if len(q) < PLACE_QUERY_MIN:
        return []
    like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    limit = max(1, min(int(limit), PLACE_LIMIT_MAX))
    return list(Place.objects.raw(_SEARCH_SQL, {"q": q, "like": like, "similarity": _SIMILARITY, "limit": limit}))


@dataclass(frozen=True)
class PlaceResolution:
    """The result of resolving a typed place: `place` when unambiguous, else `candidates`."""

    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)


def place_resolve(*, q: str, limit: int = 10) -> PlaceResolution:
    """Turn a typed place name into one place, or the candidates to choose from.

    One exact match (tier 0) or a single result is unambiguous; otherwise all results
    are candidates; nothing found gives an empty resolution.
    """
    results = place_search(q=q, limit=limit)
    exact = [p for p in results if p.tier == 0]
    if len(exact) == 1:
        return PlaceResolution(place=exact[0])
    if len(results) == 1:
        return PlaceResolution(place=results[0])
    return PlaceResolution(candidates=results)


def place_get(*, pk) -> Place | None:
    """A gazetteer entry by id, or None (also for ids that are not numbers)."""
    try:
        return Place.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
