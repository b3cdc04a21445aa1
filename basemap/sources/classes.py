"""Feature classes: OpenStreetMap tags and GeoPackage class values → the basemap's kinds.

One table per layer, so the OSM reader and the GeoPackage reader classify alike. GeoPackage
class values may be OSM values, the basemap's own kinds, German words, or ATKIS Basis-DLM
codes where a code is unambiguous (road dedication `WDM`: 1301 Bundesautobahn, 1303
Bundesstraße, 1305 Landesstraße, 1306 Kreisstraße, 1307 Gemeindestraße — an approximation:
ATKIS classifies by dedication, OSM by importance).
"""
from ..models import RoadClass

__all__ = ["ROAD_KINDS", "RAILWAY_KINDS", "WATER_LINE_KINDS", "PLACE_KINDS", "green_kind", "water_area_kind",
           "kind_normalise", "green_value_kind", "water_value_kind"]

ROAD_KINDS = {
    **dict.fromkeys(["motorway", "motorway_link", "autobahn", "1301"], RoadClass.MOTORWAY),
    **dict.fromkeys(["trunk", "trunk_link", "schnellstraße", "kraftfahrstraße"], RoadClass.TRUNK),
    **dict.fromkeys(["primary", "primary_link", "bundesstraße", "1303", "hauptstraße"], RoadClass.PRIMARY),
    **dict.fromkeys(["secondary", "secondary_link", "landesstraße", "staatsstraße", "1305"], RoadClass.SECONDARY),
    **dict.fromkeys(["tertiary", "tertiary_link", "kreisstraße", "1306"], RoadClass.TERTIARY),
    **dict.fromkeys(["residential", "unclassified", "living_street", "road", "gemeindestraße", "1307",
                     "wohnstraße", "straße"], RoadClass.RESIDENTIAL),
    **dict.fromkeys(["service", "zufahrt"], RoadClass.SERVICE),
    **dict.fromkeys(["path", "footway", "cycleway", "pedestrian", "steps", "track", "bridleway", "weg",
                     "fußweg", "radweg", "fußgängerzone"], RoadClass.PATH),
}
RAILWAY_KINDS = {"rail": "rail", "light_rail": "light_rail", "tram": "tram", "subway": "subway",
                 "narrow_gauge": "narrow_gauge", "eisenbahn": "rail", "straßenbahn": "tram", "bahn": "rail"}
WATER_LINE_KINDS = {"river": "river", "stream": "stream", "canal": "canal", "ditch": "ditch", "drain": "ditch",
                    "fluss": "river", "bach": "stream", "kanal": "canal", "graben": "ditch"}
PLACE_KINDS = {k: k for k in ["city", "town", "village", "suburb", "quarter", "neighbourhood", "hamlet",
                              "locality", "square"]} | {
    "stadt": "city", "ortsteil": "suburb", "stadtteil": "suburb", "district": "suburb",
    "viertel": "neighbourhood", "platz": "square", "landmark": "locality", "ort": "locality"}
_GREEN = {
    "park": "park", "garden": "park", "playground": "park", "park_garten": "park", "grünanlage": "park",
    "forest": "forest", "wood": "forest", "wald": "forest", "gehölz": "forest",
    "grass": "grass", "meadow": "grass", "village_green": "grass", "recreation_ground": "grass",
    "cemetery": "grass", "wiese": "grass", "grünland": "grass", "friedhof": "grass",
}
_WATER_AREA = {"water": "water", "riverbank": "river", "reservoir": "water", "basin": "basin",
               "river": "river", "lake": "lake", "pond": "water", "see": "lake", "fluss": "river"}


def kind_normalise(value, table: dict, default: str = "") -> str:
    """The kind for a class value (case and surrounding space ignored), else `default`."""
    if value is None:
        return default
    return table.get(str(value).strip().lower(), default)


def green_kind(tags) -> str:
    """park/forest/grass for OSM tags (leisure, landuse, natural), "" when not green."""
    for key in ("leisure", "landuse", "natural"):
        kind = _GREEN.get(tags.get(key, ""))
        if kind:
            return kind
    return ""


def water_area_kind(tags) -> str:
    """The water-area kind for OSM tags, "" when not a water area."""
    if tags.get("natural") == "water":
        return _WATER_AREA.get(tags.get("water", ""), "water")
    if tags.get("waterway") == "riverbank":
        return "river"
    if tags.get("landuse") in ("reservoir", "basin"):
        return _WATER_AREA[tags.get("landuse")]
    return ""


def green_value_kind(value) -> str:
    """park/forest/grass for a GeoPackage class value; unknown values count as grass."""
    return kind_normalise(value, _GREEN, "grass")


def water_value_kind(value) -> str:
    """The water-area kind for a GeoPackage class value; unknown values count as water."""
    return kind_normalise(value, _WATER_AREA, "water")
